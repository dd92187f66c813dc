/** SaaS plans (global, seeded by `ensureCatalog`). */
import { asc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { plans } from "../schema";

export type Plan = typeof plans.$inferSelect;

export async function listActivePlans(db: Executor): Promise<Plan[]> {
  return db.select().from(plans).where(eq(plans.isActive, true)).orderBy(asc(plans.priceMonthly), asc(plans.code));
}

export async function getPlanByCode(db: Executor, code: string): Promise<Plan | undefined> {
  const [row] = await db.select().from(plans).where(eq(plans.code, code));
  return row;
}
