/** Integrator API keys, found by the SHA-256 of the presented secret. */
import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Executor } from "../client";
import type { ApiKeyScope } from "@docent/contracts/json";
import { apiKeys, users, workspaceMembers } from "../schema";
import type { WorkspaceRole } from "./workspaces";

export type ApiKey = typeof apiKeys.$inferSelect;

/**
 * A usable key with the standing of the user who created it, so authentication can
 * refuse keys whose creator is suspended or no longer a member of the key's workspace.
 * `creator` is null when the key has no creator (created by platform tooling, or the
 * user was deleted).
 */
export type UsableApiKey = ApiKey & {
  creator: { status: (typeof users.$inferSelect)["status"]; role: WorkspaceRole | null } | null;
};

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

/** A key that is neither revoked nor expired, with its creator's current standing. */
export async function findUsableApiKey(db: Executor, keyHash: string, now = new Date()): Promise<UsableApiKey | undefined> {
  const [row] = await db
    .select({ key: apiKeys, creatorStatus: users.status, creatorRole: workspaceMembers.role })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .leftJoin(
      workspaceMembers,
      and(eq(workspaceMembers.workspaceId, apiKeys.workspaceId), eq(workspaceMembers.userId, apiKeys.createdBy)),
    )
    .where(
      and(
        eq(apiKeys.keyHash, keyHash),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      ),
    )
    // Read on every request made with a key: prepared once per connection, no planning.
    .prepare("find_usable_api_key")
    .execute();
  if (!row) return undefined;
  return {
    ...row.key,
    creator: row.creatorStatus ? { status: row.creatorStatus, role: row.creatorRole } : null,
  };
}

/**
 * Records use at most once per `minIntervalMs`, so busy keys do not write on every request:
 * the key as just read decides without a round trip, and the guarded update keeps
 * concurrent requests from writing twice.
 */
export async function touchApiKey(
  db: Executor,
  key: Pick<ApiKey, "id" | "lastUsedAt">,
  now = new Date(),
  minIntervalMs = 60_000,
) {
  if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < minIntervalMs) return;
  const apiKeyId = key.id;
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

/**
 * Revokes the keys a user created in a workspace (when they leave or are removed), so
 * rejoining later does not bring them back. Returns how many were revoked.
 */
export async function revokeApiKeysCreatedBy(
  db: Executor,
  params: { workspaceId: string; userId: string },
  now = new Date(),
): Promise<number> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.workspaceId, params.workspaceId), eq(apiKeys.createdBy, params.userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length;
}
