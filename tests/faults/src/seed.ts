/** Tenants for the fault tests: a workspace, a bot, and an API key with every scope. */
import type { Database } from "@docent/db/client";
import { defaultRagConfig } from "@docent/contracts/json";
import { createApiKey } from "@docent/db/queries/api-keys";
import { bots, users, workspaces } from "@docent/db/schema";
import { newApiKey } from "@docent/service-kit/crypto/tokens";
import { randomBytes } from "node:crypto";

export async function seedTenant(db: Database, ragConfig: { chunkSize?: number; chunkOverlap?: number } = {}) {
  const tag = randomBytes(5).toString("hex");
  const [user] = await db.insert(users).values({ email: `owner-${tag}@example.com` }).returning();
  const [workspace] = await db
    .insert(workspaces)
    .values({ name: "Acme", slug: `acme-${tag}`, createdBy: user!.id })
    .returning();
  const [bot] = await db
    .insert(bots)
    .values({
      workspaceId: workspace!.id,
      name: "Support",
      publicId: `pub${tag}`,
      status: "READY",
      language: "english",
      ragConfig: {
        ...defaultRagConfig,
        chunkSize: ragConfig.chunkSize ?? 400,
        chunkOverlap: ragConfig.chunkOverlap ?? 60,
        topK: 5,
        retrievalMode: "hybrid",
        minScore: 0,
        fusionWeights: { vector: 1, keyword: 1 },
      },
    })
    .returning();
  const key = newApiKey();
  await createApiKey(db, {
    workspaceId: workspace!.id,
    botId: null,
    createdBy: null,
    name: "faults",
    prefix: key.prefix,
    keyHash: key.hash,
    scopes: ["bots:read", "bots:write", "documents:write", "chat", "analytics:read"],
    expiresAt: null,
  });
  return { user: user!, workspace: workspace!, bot: bot!, apiKey: key.secret };
}
