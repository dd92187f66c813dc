/**
 * The catalog every installation needs: plans (Free, Pro, Business) and bot templates.
 * `ensureCatalog` upserts them by their stable code/slug, so running it at every start-up
 * or seed is safe and picks up edited limits and texts.
 */
import { sql } from "drizzle-orm";
import type { Executor } from "./client";
import { type RagConfig, ragConfigSchema } from "./json";
import { plans, templates } from "./schema";

type PlanSeed = Omit<typeof plans.$inferInsert, "id" | "createdAt" | "updatedAt">;
type TemplateSeed = Omit<typeof templates.$inferInsert, "id" | "createdAt" | "updatedAt"> & {
  defaultRagConfig: RagConfig;
  sampleQueries: string[];
};

/** Free carries seed 000's column defaults; Pro and Business scale them for paying teams. */
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
    maxDocProcessingJobsPerMonth: 10,
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
    maxDocProcessingJobsPerMonth: 500,
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
    maxDocumentsPerBot: 1000,
    maxTotalDocumentStorageGb: 100,
    maxFileSizeMb: 100,
    maxQueriesPerMonth: 100_000,
    maxDocProcessingJobsPerMonth: 5000,
    allowAdvancedRagConfig: true,
    maxPdfPages: 10_000,
    maxDocProcessingSeconds: 1_800,
    isActive: true,
  },
];

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

/** Upserts every plan and template (by code / slug). */
export async function ensureCatalog(db: Executor): Promise<void> {
  await db
    .insert(plans)
    .values(planCatalog)
    .onConflictDoUpdate({
      target: plans.code,
      set: {
        name: sql`excluded.name`,
        description: sql`excluded.description`,
        priceMonthly: sql`excluded.price_monthly`,
        maxBots: sql`excluded.max_bots`,
        maxDocumentsPerBot: sql`excluded.max_documents_per_bot`,
        maxTotalDocumentStorageGb: sql`excluded.max_total_document_storage_gb`,
        maxFileSizeMb: sql`excluded.max_file_size_mb`,
        maxQueriesPerMonth: sql`excluded.max_queries_per_month`,
        maxDocProcessingJobsPerMonth: sql`excluded.max_doc_processing_jobs_per_month`,
        allowAdvancedRagConfig: sql`excluded.allow_advanced_rag_config`,
        maxPdfPages: sql`excluded.max_pdf_pages`,
        maxDocProcessingSeconds: sql`excluded.max_doc_processing_seconds`,
        isActive: sql`excluded.is_active`,
        updatedAt: new Date(),
      },
    });
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
}
