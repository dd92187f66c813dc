/** Minimal tenant rows for worker tests: a user, a workspace and a bot. */
import type { Database } from "@docent/db/client";
import { defaultRagConfig } from "@docent/contracts/json";
import { bots, users, workspaces } from "@docent/db/schema";
import { randomBytes } from "node:crypto";

export async function seedBot(db: Database, options: { language?: string; chunkSize?: number; chunkOverlap?: number } = {}) {
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
      language: options.language ?? "english",
      ragConfig: {
        ...defaultRagConfig,
        chunkSize: options.chunkSize ?? 400,
        chunkOverlap: options.chunkOverlap ?? 60,
        topK: 5,
        retrievalMode: "hybrid",
        minScore: 0,
        fusionWeights: { vector: 1, keyword: 1 },
      },
    })
    .returning();
  return { user: user!, workspace: workspace!, bot: bot! };
}
