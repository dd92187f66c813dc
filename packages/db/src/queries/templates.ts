/** Bot templates (global, seeded by `ensureCatalog`). */
import { asc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { templates } from "../schema";

export type Template = typeof templates.$inferSelect;

export async function listTemplates(db: Executor): Promise<Template[]> {
  return db.select().from(templates).orderBy(asc(templates.name));
}

export async function getTemplate(db: Executor, templateId: string): Promise<Template | undefined> {
  const [row] = await db.select().from(templates).where(eq(templates.id, templateId));
  return row;
}
