/** The tenant of the fault tests: a workspace, a bot, and an API key with every scope. */
import type { Database } from "@docent/db/client";
import { newApiKey } from "@docent/service-kit/crypto/tokens";
import { createApiKey, createBot, createWorkspace } from "@docent/testing/factories";

export async function seedTenant(db: Database, ragConfig: { chunkSize?: number; chunkOverlap?: number } = {}) {
  const workspace = await createWorkspace(db);
  const bot = await createBot(db, { workspaceId: workspace.id, ragConfig });
  const { secret } = await createApiKey(db, { workspaceId: workspace.id, key: newApiKey(), name: "faults" });
  return { workspace, bot, apiKey: secret };
}
