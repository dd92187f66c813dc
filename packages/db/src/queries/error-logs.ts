/** The persisted error log (error_logs): written best effort by the services, read by platform admins. */
import { and, count, desc, eq, gte, lt, lte } from "drizzle-orm";
import { type Database, type Executor, executeWithAsyncCommit } from "../client";
import { errorLogs } from "../schema";

export type ErrorLog = typeof errorLogs.$inferSelect;
export type NewErrorLog = Omit<typeof errorLogs.$inferInsert, "id" | "createdAt"> & { createdAt?: Date };

/** One entry, committed without waiting for the disk (`executeWithAsyncCommit`): best-effort bookkeeping. */
export async function insertErrorLog(db: Database, entry: NewErrorLog): Promise<void> {
  await executeWithAsyncCommit(
    db,
    db
      .insert(errorLogs)
      .values({
        ...entry,
        errorType: entry.errorType.slice(0, 100),
        message: entry.message.slice(0, 2000),
        operation: entry.operation?.slice(0, 300) ?? null,
      })
      .returning({ id: errorLogs.id }),
  );
}

export interface ErrorLogFilter {
  service?: string;
  errorType?: string;
  botId?: string;
  workspaceId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

export async function listErrorLogs(db: Executor, filter: ErrorLogFilter): Promise<{ items: ErrorLog[]; total: number }> {
  const where = and(
    filter.service ? eq(errorLogs.service, filter.service) : undefined,
    filter.errorType ? eq(errorLogs.errorType, filter.errorType) : undefined,
    filter.botId ? eq(errorLogs.botId, filter.botId) : undefined,
    filter.workspaceId ? eq(errorLogs.workspaceId, filter.workspaceId) : undefined,
    filter.from ? gte(errorLogs.createdAt, filter.from) : undefined,
    filter.to ? lte(errorLogs.createdAt, filter.to) : undefined,
  );
  const [items, [total]] = await Promise.all([
    db.select().from(errorLogs).where(where).orderBy(desc(errorLogs.createdAt), desc(errorLogs.id)).limit(filter.limit).offset(filter.offset),
    db.select({ n: count() }).from(errorLogs).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** Deletes entries created before `before`; returns how many. */
export async function pruneErrorLogs(db: Executor, before: Date): Promise<number> {
  const rows = await db.delete(errorLogs).where(lt(errorLogs.createdAt, before)).returning({ id: errorLogs.id });
  return rows.length;
}
