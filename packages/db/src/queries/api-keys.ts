/** Integrator API keys, found by the SHA-256 of the presented secret. */
import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Executor } from "../client";
import type { ApiKeyScope } from "../json";
import { apiKeys } from "../schema";

export type ApiKey = typeof apiKeys.$inferSelect;

export async function createApiKey(
  db: Executor,
  input: {
    workspaceId: string;
    botId: string | null;
    createdBy: string | null;
    name: string;
    prefix: string;
    keyHash: string;
    scopes: ApiKeyScope[];
    expiresAt: Date | null;
  },
): Promise<ApiKey> {
  const [row] = await db.insert(apiKeys).values(input).returning();
  return row!;
}

export async function listApiKeys(db: Executor, workspaceId: string): Promise<ApiKey[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.workspaceId, workspaceId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** A key that is neither revoked nor expired. */
export async function findUsableApiKey(db: Executor, keyHash: string, now = new Date()): Promise<ApiKey | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.keyHash, keyHash),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      ),
    );
  return row;
}

/** Records use at most once per `minIntervalMs`, so busy keys do not write on every request. */
export async function touchApiKey(db: Executor, apiKeyId: string, now = new Date(), minIntervalMs = 60_000) {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.id, apiKeyId),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - minIntervalMs))),
      ),
    );
}

export async function revokeApiKey(
  db: Executor,
  params: { workspaceId: string; apiKeyId: string },
  now = new Date(),
): Promise<ApiKey | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.workspaceId, params.workspaceId), eq(apiKeys.id, params.apiKeyId), isNull(apiKeys.revokedAt)))
    .returning();
  if (row) return row;
  const [existing] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.workspaceId, params.workspaceId), eq(apiKeys.id, params.apiKeyId)));
  return existing;
}
