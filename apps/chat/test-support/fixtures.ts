/**
 * The tenants of chat tests, made with the shared factories (@docent/testing/factories):
 * a workspace with one bot, and documents whose chunks are embedded by the test's embedder
 * the way the ingestion worker writes them.
 */
// Brings in the `inject()` keys that @docent/testing/db reads (declared by its global setup).
import type {} from "@docent/testing/global-setup";
import type { Database } from "@docent/db/client";
import type { RagConfig } from "@docent/contracts/json";
import * as factories from "@docent/testing/factories";
import type { QueryEmbedder } from "../src/retrieval/types";

export async function createWorkspaceWithBot(
  db: Database,
  opts: { ragConfig?: Partial<RagConfig>; language?: string; name?: string } = {},
) {
  const workspace = await factories.createWorkspace(db);
  const bot = await factories.createBot(db, { workspaceId: workspace.id, ...opts });
  return { workspace, bot };
}

/** A processed document named `name` holding `chunks`, embedded by `embedder`. */
export function addDocument(
  db: Database,
  embedder: QueryEmbedder,
  bot: { id: string; language: string },
  name: string,
  chunks: (string | factories.ChunkInput)[],
) {
  return factories.addDocument(db, bot, { name, chunks, embedder });
}
