/**
 * Test data written the way the ingestion worker writes it: workspace, bot, documents
 * and embedded chunks (the BM25 statistics follow from the database triggers).
 */
// Brings in the `inject()` keys that @docent/testing/db reads (declared by its global setup).
import type {} from "@docent/testing/global-setup";
import { createHash, randomBytes } from "node:crypto";
import type { Database } from "@docent/db/client";
import type { RagConfig } from "@docent/contracts/json";
import { defaultRagConfig } from "@docent/contracts/json";
import * as s from "@docent/db/schema";
import type { QueryEmbedder } from "../src/retrieval/types";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString("hex")}`;

export async function createWorkspaceWithBot(
  db: Database,
  opts: { ragConfig?: Partial<RagConfig>; language?: string; name?: string } = {},
) {
  const id = unique();
  const [workspace] = await db.insert(s.workspaces).values({ name: `ws ${id}`, slug: `ws-${id}` }).returning();
  const bot = await createBot(db, workspace!.id, opts);
  return { workspace: workspace!, bot };
}

export async function createBot(
  db: Database,
  workspaceId: string,
  opts: { ragConfig?: Partial<RagConfig>; language?: string; name?: string } = {},
) {
  const [bot] = await db
    .insert(s.bots)
    .values({
      workspaceId,
      name: opts.name ?? "Support bot",
      publicId: `pub_${unique()}`,
      status: "READY",
      language: opts.language ?? "english",
      ragConfig: { ...defaultRagConfig, ...opts.ragConfig },
    })
    .returning();
  return bot!;
}

export interface ChunkInput {
  text: string;
  page?: number;
  headingPath?: string[];
}

export async function addDocument(
  db: Database,
  embedder: QueryEmbedder,
  bot: { id: string; language: string },
  name: string,
  chunks: (string | ChunkInput)[],
) {
  const [doc] = await db
    .insert(s.botDocuments)
    .values({ botId: bot.id, name, status: "PROCESSED", sourceType: "MANUAL_TEXT", chunkCount: chunks.length })
    .returning();
  const inputs = chunks.map((c) => (typeof c === "string" ? { text: c } : c));
  const vectors = await embedder.embed(inputs.map((c) => c.text));
  let offset = 0;
  const rows = await db
    .insert(s.botDocumentChunks)
    .values(
      inputs.map((c, i) => {
        const start = offset;
        offset += c.text.length + 1;
        return {
          botId: bot.id,
          documentId: doc!.id,
          chunkIndex: i,
          content: c.text,
          contentHash: createHash("sha256").update(c.text).digest("hex"),
          tokenCount: Math.ceil(c.text.length / 4),
          metadata: { page: c.page, headingPath: c.headingPath, charStart: start, charEnd: start + c.text.length },
          embedding: vectors[i]!,
          embeddingModel: embedder.id,
          textSearchConfig: bot.language,
        };
      }),
    )
    .returning({ id: s.botDocumentChunks.id });
  return { document: doc!, chunkIds: rows.map((r) => r.id) };
}

/** The plan catalog's Free plan, which workspaces without a subscription fall back to. */
export async function ensureFreePlan(db: Database, maxQueriesPerMonth = 1000) {
  await db
    .insert(s.plans)
    .values({ code: "free", name: "Free", maxQueriesPerMonth })
    .onConflictDoUpdate({ target: s.plans.code, set: { maxQueriesPerMonth } });
}
