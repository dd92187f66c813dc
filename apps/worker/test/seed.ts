/** The tenant of a worker test: a workspace and a bot, chunking as the test needs. */
import type { Database } from "@docent/db/client";
import { createBot, createWorkspace } from "@docent/testing/factories";

export async function seedBot(db: Database, options: { language?: string; chunkSize?: number; chunkOverlap?: number } = {}) {
  const { language, ...chunking } = options;
  const workspace = await createWorkspace(db);
  const bot = await createBot(db, { workspaceId: workspace.id, language, ragConfig: chunking });
  return { workspace, bot };
}
