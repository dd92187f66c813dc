/**
 * The catalog every installation needs: plans (Free, Pro, Business) and bot templates.
 * `ensureCatalog` runs at every API start-up and seed: it adds the catalog plans that are
 * missing and never touches existing ones, so an operator's edits (admin screen) survive
 * restarts and upgrades; templates are upserted by slug (operators do not edit them).
 * The Unlimited plan is added only when asked for (DEFAULT_PLAN=unlimited).
 */
import { eq, sql } from "drizzle-orm";
import type { Executor } from "./client";
import { type RagConfig, ragConfigSchema } from "@docent/contracts/json";
import { makeDefaultPlan } from "./queries/plans";
import { plans, templates } from "./schema";

type PlanSeed = Omit<typeof plans.$inferInsert, "id" | "createdAt" | "updatedAt">;
type TemplateSeed = Omit<typeof templates.$inferInsert, "id" | "createdAt" | "updatedAt"> & {
  defaultRagConfig: RagConfig;
  sampleQueries: string[];
};

/**
 * Free carries seed 000's column defaults; Pro and Business scale them for paying teams.
 * Each search allowance (maxRetrievalsPerMonth) is five times the question allowance: a
 * search costs an embedding call and index reads, no LLM tokens.
 */
export const planCatalog: PlanSeed[] = [
  {
    code: "free",
    name: "Free",
    description: "One bot to try Docent on a handful of documents.",
    priceMonthly: "0.00",
    maxBots: 1,
    maxDocumentsPerBot: 5,
    maxTotalDocumentStorageGb: 1,
    maxFileSizeMb: 10,
    maxQueriesPerMonth: 1000,
    maxRetrievalsPerMonth: 5000,
    maxDocProcessingJobsPerMonth: 10,
    maxPagesPerSource: 50,
    maxCrawlsPerMonth: 30,
    allowAdvancedRagConfig: false,
    maxPdfPages: 500,
    maxDocProcessingSeconds: 120,
    isActive: true,
  },
  {
    code: "pro",
    name: "Pro",
    description: "Several bots for a small team, with retrieval tuning.",
    priceMonthly: "29.00",
    maxBots: 5,
    maxDocumentsPerBot: 100,
    maxTotalDocumentStorageGb: 10,
    maxFileSizeMb: 50,
    maxQueriesPerMonth: 10_000,
    maxRetrievalsPerMonth: 50_000,
    maxDocProcessingJobsPerMonth: 500,
    maxPagesPerSource: 1_000,
    maxCrawlsPerMonth: 300,
    allowAdvancedRagConfig: true,
    maxPdfPages: 2_000,
    maxDocProcessingSeconds: 600,
    isActive: true,
  },
  {
    code: "business",
    name: "Business",
    description: "Many bots and large knowledge bases for a whole company.",
    priceMonthly: "99.00",
    maxBots: 25,
    // A 5,000-document knowledge base fits twice over, and can be re-indexed in a month.
    maxDocumentsPerBot: 10_000,
    maxTotalDocumentStorageGb: 100,
    maxFileSizeMb: 100,
    maxQueriesPerMonth: 100_000,
    maxRetrievalsPerMonth: 500_000,
    maxDocProcessingJobsPerMonth: 20_000,
    maxPagesPerSource: 10_000,
    maxCrawlsPerMonth: 3_000,
    allowAdvancedRagConfig: true,
    maxPdfPages: 10_000,
    maxDocProcessingSeconds: 1_800,
    isActive: true,
  },
];

/**
 * For a single-tenant installation (DEFAULT_PLAN=unlimited): no quotas at all. The two
 * per-document processing bounds stay, generous, because they protect the worker from one
 * pathological file (20,000 empty PDF pages held a worker for 14 minutes) rather than meter
 * anyone's use; raise them on the admin screen if a real document needs more.
 */
export const unlimitedPlan: PlanSeed = {
  code: "unlimited",
  name: "Unlimited",
  description: "No limits on bots, documents, storage, questions or searches.",
  priceMonthly: "0.00",
  maxBots: null,
  maxDocumentsPerBot: null,
  maxTotalDocumentStorageGb: null,
  maxFileSizeMb: null,
  maxQueriesPerMonth: null,
  maxRetrievalsPerMonth: null,
  maxDocProcessingJobsPerMonth: null,
  maxPagesPerSource: null,
  maxCrawlsPerMonth: null,
  allowAdvancedRagConfig: true,
  maxPdfPages: 50_000,
  maxDocProcessingSeconds: 7_200,
  isActive: true,
};

/** Plans `DEFAULT_PLAN` may name that start-up creates when missing. */
export const optionalCatalogPlans: PlanSeed[] = [unlimitedPlan];

const rag = (input: Partial<RagConfig>): RagConfig => ragConfigSchema.parse(input);

export const templateCatalog: TemplateSeed[] = [
  {
    slug: "customer-support",
    name: "Customer support",
    category: "support",
    description: "Answers customers from help-centre articles, policies and product manuals.",
    defaultRagConfig: rag({ chunkSize: 400, chunkOverlap: 60, topK: 5, retrievalMode: "hybrid" }),
    sampleSystemPrompt:
      "You are a friendly support agent for our company. Answer only from the provided sources, " +
      "cite them, keep answers short and step by step, and offer to connect the customer with a " +
      "human when the sources do not cover the question.",
    sampleQueries: [
      "How do I reset my password?",
      "What is your refund policy?",
      "How long does shipping take?",
    ],
  },
  {
    slug: "documentation-assistant",
    name: "Documentation assistant",
    category: "developer",
    description: "Helps developers find answers in technical documentation and API references.",
    defaultRagConfig: rag({ chunkSize: 600, chunkOverlap: 100, topK: 6, retrievalMode: "hybrid" }),
    sampleSystemPrompt:
      "You are a precise technical assistant. Answer from the documentation excerpts only, quote " +
      "exact names of functions, options and commands, include short code examples when the " +
      "sources contain them, and say so when the documentation does not cover a question.",
    sampleQueries: [
      "How do I authenticate API requests?",
      "What are the rate limits?",
      "Show an example of paginating results.",
    ],
  },
  {
    slug: "internal-knowledge-base",
    name: "Internal knowledge base",
    category: "internal",
    description: "Lets employees search handbooks, processes and internal wikis.",
    defaultRagConfig: rag({ chunkSize: 500, chunkOverlap: 80, topK: 8, retrievalMode: "hybrid" }),
    sampleSystemPrompt:
      "You are the company's internal knowledge assistant. Answer employees' questions from the " +
      "handbook and wiki excerpts, name the document each fact comes from, and never guess about " +
      "policies that the sources do not state.",
    sampleQueries: [
      "How many vacation days do I have?",
      "How do I submit an expense report?",
      "Who approves purchase orders?",
    ],
  },
  {
    slug: "sales-faq",
    name: "Sales FAQ",
    category: "sales",
    description: "Answers prospects' questions about plans, pricing and features.",
    defaultRagConfig: rag({ chunkSize: 250, chunkOverlap: 30, topK: 4, retrievalMode: "hybrid" }),
    sampleSystemPrompt:
      "You are a helpful sales assistant. Answer questions about products, plans and pricing " +
      "from the sources only, be concise and positive, and invite the visitor to book a demo " +
      "when they ask about custom terms.",
    sampleQueries: [
      "What does the Pro plan include?",
      "Do you offer annual billing?",
      "Can I try it for free?",
    ],
  },
];

export class UnknownPlanError extends Error {
  constructor(readonly code: string) {
    super(
      `no plan with code "${code}": use one of ${[...planCatalog, ...optionalCatalogPlans].map((p) => p.code).join(", ")}, ` +
        "or a plan created on the admin screen",
    );
    this.name = "UnknownPlanError";
  }
}

/**
 * Adds the catalog plans that are missing (by code; a plan whose name an operator already
 * gave another plan is skipped too) and never changes existing plans; upserts the
 * templates. With `defaultPlan`, that plan (created first when it is an optional catalog
 * plan such as "unlimited") becomes the one new workspaces start on; without it, the
 * default stays whatever the database says (the admin screen sets it).
 */
export async function ensureCatalog(db: Executor, options: { defaultPlan?: string } = {}): Promise<void> {
  const optional = optionalCatalogPlans.filter((p) => p.code === options.defaultPlan);
  await db
    .insert(plans)
    .values([...planCatalog, ...optional])
    .onConflictDoNothing();
  await db
    .insert(templates)
    .values(templateCatalog)
    .onConflictDoUpdate({
      target: templates.slug,
      set: {
        name: sql`excluded.name`,
        description: sql`excluded.description`,
        category: sql`excluded.category`,
        defaultRagConfig: sql`excluded.default_rag_config`,
        sampleSystemPrompt: sql`excluded.sample_system_prompt`,
        sampleQueries: sql`excluded.sample_queries`,
        updatedAt: new Date(),
      },
    });
  if (options.defaultPlan) {
    await setDefaultPlan(db, options.defaultPlan);
  } else {
    // A fresh database: Free, as new workspaces always started on.
    await db.execute(
      sql`update ${plans} set is_default = true where code = 'free' and not exists (select 1 from ${plans} where is_default)`,
    );
  }
}

/** Makes the plan with `code` the one new workspaces start on (and no other). */
export async function setDefaultPlan(db: Executor, code: string): Promise<void> {
  const [plan] = await db.select({ id: plans.id, isDefault: plans.isDefault }).from(plans).where(eq(plans.code, code));
  if (!plan) throw new UnknownPlanError(code);
  if (!plan.isDefault) await makeDefaultPlan(db, plan.id);
}
