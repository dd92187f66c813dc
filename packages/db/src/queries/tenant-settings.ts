/**
 * Per-workspace model providers (BYOK). Ciphertexts are sealed and opened by the services
 * (AES-256-GCM); this module only moves them.
 */
import { eq } from "drizzle-orm";
import type { Executor } from "../client";
import { tenantSettings } from "../schema";

export type TenantSettings = typeof tenantSettings.$inferSelect;
export type TenantSettingsPatch = Partial<Omit<TenantSettings, "workspaceId" | "createdAt" | "updatedAt">>;

export async function getTenantSettings(db: Executor, workspaceId: string): Promise<TenantSettings | undefined> {
  const [row] = await db.select().from(tenantSettings).where(eq(tenantSettings.workspaceId, workspaceId));
  return row;
}

export async function upsertTenantSettings(
  db: Executor,
  workspaceId: string,
  patch: TenantSettingsPatch,
): Promise<TenantSettings> {
  const [row] = await db
    .insert(tenantSettings)
    .values({ workspaceId, ...patch })
    .onConflictDoUpdate({ target: tenantSettings.workspaceId, set: { ...patch, updatedAt: new Date() } })
    .returning();
  return row!;
}
