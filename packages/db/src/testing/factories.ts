/**
 * Test-data factories: rows made the way the services make them, through the query
 * functions of ../queries where one exists, with every value a test does not state taken
 * from the schema's column defaults and @docent/contracts/json (`defaultRagConfig`...), so
 * no seeder can keep an old default. Names, slugs, e-mails and public ids are unique per call.
 * Re-exported as @docent/testing/factories; tests in this package import it from here.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Executor } from "../client";
import {
  type ApiKeyScope,
  apiKeyScopes,
  type ChunkMetadata,
  defaultModelSettings,
  defaultRagConfig,
  type ModelSettings,
  type RagConfig,
} from "@docent/contracts/json";
import { type ApiKey, createApiKey as insertApiKey } from "../queries/api-keys";
import { type Bot, createBot as insertBot } from "../queries/bots";
import { type DocumentRow, insertDocument, type NewDocumentRow } from "../queries/documents";
import { createPlan as insertPlan, getPlanByCode, type Plan, type PlanFields, setWorkspacePlan } from "../queries/plans";
import { createUser as insertUser, type User } from "../queries/users";
import { createWorkspaceWithOwner, type Workspace } from "../queries/workspaces";
import { botDocumentChunks, EMBEDDING_DIMENSIONS, workspaces } from "../schema";

let counter = 0;
/** Short and unique across calls and test files: `<time><counter><random>`. */
export const uniqueTag = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString("hex")}`;

/** The fields a caller gave a value, so `{ language: undefined }` keeps the default. */
const given = <T extends object>(fields: T): Partial<T> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;

export function createUser(db: Executor, overrides: Partial<Parameters<typeof insertUser>[1]> = {}): Promise<User> {
  return insertUser(db, { email: `user-${uniqueTag()}@example.com`, ...given(overrides) });
}

/** A plan of the given limits (the columns' defaults otherwise), under a unique code and name. */
export function createPlan(db: Executor, overrides: Partial<PlanFields> = {}): Promise<Plan> {
  const tag = uniqueTag();
  return insertPlan(db, { code: `plan-${tag}`, name: `Plan ${tag}`, ...given(overrides) });
}

/** Moves the workspace to the plan (a row or a code), making its subscription if it has none. */
export async function subscribe(db: Executor, workspaceId: string, plan: Pick<Plan, "id"> | string): Promise<void> {
  const planId = typeof plan === "string" ? (await getPlanByCode(db, plan))?.id : plan.id;
  if (!planId) throw new Error(`no plan "${String(plan)}"; run ensureCatalog or createPlan first`);
  await setWorkspacePlan(db, workspaceId, planId);
}

/**
 * A workspace. With an `owner`, made as sign-up and the API make one
 * (`createWorkspaceWithOwner`): the owner's OWNER membership and a subscription to `plan`,
 * or to the default plan, which needs the catalog (`ensureCatalog`). Without one, only the
 * workspace row, subscribed to `plan` when given; with no subscription the default plan
 * applies, as it does to any such workspace.
 */
export async function createWorkspace(
  db: Executor,
  overrides: { name?: string; slug?: string; isPersonal?: boolean; owner?: Pick<User, "id">; plan?: Pick<Plan, "id" | "code"> | string } = {},
): Promise<Workspace> {
  const tag = uniqueTag();
  const { owner, plan, ...fields } = overrides;
  const values = { name: `Workspace ${tag}`, slug: `ws-${tag}`, ...given(fields) };
  if (owner) {
    const planCode = typeof plan === "string" ? plan : plan?.code;
    return db.transaction((tx) => createWorkspaceWithOwner(tx, { ...values, ownerId: owner.id, ...(planCode ? { planCode } : {}) }));
  }
  const [workspace] = await db.insert(workspaces).values(values).returning();
  if (plan !== undefined) await subscribe(db, workspace!.id, plan);
  return workspace!;
}

/**
 * A bot as the API creates it (READY, with its widget configuration): `ragConfig` and
 * `modelSettings` are patches over the defaults of @docent/contracts/json.
 */
export function createBot(
  db: Executor,
  input: {
    workspaceId: string;
    name?: string;
    language?: string;
    ragConfig?: Partial<RagConfig>;
    modelSettings?: Partial<ModelSettings>;
    createdBy?: string | null;
    publicId?: string;
    initialPrompt?: { name: string; content: string } | null;
  },
): Promise<Bot> {
  const { workspaceId, ragConfig, modelSettings, ...rest } = input;
  return insertBot(db, {
    workspaceId,
    name: "Support bot",
    description: null,
    templateId: null,
    createdBy: null,
    publicId: `pub_${uniqueTag()}`,
    language: "english",
    ...given(rest),
    ragConfig: { ...defaultRagConfig, ...given(ragConfig ?? {}) },
    modelSettings: { ...defaultModelSettings, ...given(modelSettings ?? {}) },
  });
}

/** What turns texts into vectors: an embedding provider, or the local embedder. */
export interface ChunkEmbedder {
  id: string;
  embed(texts: string[]): Promise<number[][]>;
}

/** A chunk's text, where it sits in the document, and (without an embedder) its vector. */
export interface ChunkInput {
  text: string;
  page?: number;
  headingPath?: string[];
  embedding?: number[];
}

/** A vector with a single 1 at `hot`: tests that do not embed can still order by distance. */
export const unitVector = (hot = 0) => Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => (i === hot ? 1 : 0));

/**
 * The document's chunks as the ingestion worker writes them: in order, hashed, embedded by
 * `embedder` (a unit vector, model "test:unit", without one) and searchable under
 * `textSearchConfig` (the bot's language, "english" by default). The BM25 statistics
 * follow from the database triggers. Returns the chunk ids in order.
 */
export async function addChunks(
  db: Executor,
  document: { id: string; botId: string },
  chunks: (string | ChunkInput)[],
  options: { embedder?: ChunkEmbedder; textSearchConfig?: string } = {},
): Promise<string[]> {
  if (chunks.length === 0) return [];
  const inputs = chunks.map((c) => (typeof c === "string" ? { text: c } : c));
  const vectors = options.embedder ? await options.embedder.embed(inputs.map((c) => c.text)) : undefined;
  let offset = 0;
  const rows = await db
    .insert(botDocumentChunks)
    .values(
      inputs.map((c, i) => {
        const start = offset;
        offset += c.text.length + 1;
        const metadata: ChunkMetadata = { page: c.page, headingPath: c.headingPath, charStart: start, charEnd: start + c.text.length };
        return {
          botId: document.botId,
          documentId: document.id,
          chunkIndex: i,
          content: c.text,
          contentHash: createHash("sha256").update(c.text).digest("hex"),
          tokenCount: Math.ceil(c.text.length / 4),
          metadata,
          embedding: vectors?.[i] ?? c.embedding ?? unitVector(),
          embeddingModel: options.embedder?.id ?? "test:unit",
          ...(options.textSearchConfig ? { textSearchConfig: options.textSearchConfig } : {}),
        };
      }),
    )
    .returning({ id: botDocumentChunks.id });
  return rows.map((r) => r.id);
}

/**
 * A processed document of the bot holding `chunks` (none by default), searchable in the
 * bot's language. Other columns (`sizeBytes`, `status`...) can be given.
 */
export async function addDocument(
  db: Executor,
  bot: { id: string; language?: string },
  input: {
    name?: string;
    chunks?: (string | ChunkInput)[];
    embedder?: ChunkEmbedder;
  } & Partial<Omit<NewDocumentRow, "id" | "botId" | "name">> = {},
): Promise<{ document: DocumentRow; chunkIds: string[] }> {
  const { name, chunks = [], embedder, ...columns } = input;
  const document = await insertDocument(db, {
    botId: bot.id,
    name: name ?? `document-${uniqueTag()}.txt`,
    status: "PROCESSED",
    sourceType: "MANUAL_TEXT",
    chunkCount: chunks.length,
    ...given(columns),
  });
  const chunkIds = await addChunks(db, document, chunks, { embedder, textSearchConfig: bot.language });
  return { document, chunkIds };
}

/**
 * An API key of the workspace, stored as the API stores one. `key` is the secret with its
 * prefix and hash, from `newApiKey()` (@docent/service-kit/crypto/tokens, which this
 * package cannot import); every scope unless `scopes` says otherwise.
 */
export async function createApiKey(
  db: Executor,
  input: {
    workspaceId: string;
    key: { secret: string; prefix: string; hash: string };
    scopes?: ApiKeyScope[];
    botId?: string | null;
    createdBy?: string | null;
    name?: string;
    expiresAt?: Date | null;
  },
): Promise<{ apiKey: ApiKey; secret: string }> {
  const apiKey = await insertApiKey(db, {
    workspaceId: input.workspaceId,
    botId: input.botId ?? null,
    createdBy: input.createdBy ?? null,
    name: input.name ?? "test key",
    prefix: input.key.prefix,
    keyHash: input.key.hash,
    scopes: input.scopes ?? [...apiKeyScopes],
    expiresAt: input.expiresAt ?? null,
  });
  return { apiKey, secret: input.key.secret };
}
