/**
 * Website sources (issue #15): the API's reads and writes, scoped by bot like documents,
 * and the crawl worker's runs and pages. A page's document is an ordinary bot document
 * (source_type WEB_PAGE) and goes through the documents' own re-index and delete paths.
 */
import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { DocumentMetadata } from "@docent/contracts/metadata";
import type { Executor } from "../client";
import { botDocuments, botSourcePages, botSourceRuns, botSources, bots } from "../schema";
import { notDeleted } from "./document-deletions";

export type SourceRow = typeof botSources.$inferSelect;
export type NewSourceRow = typeof botSources.$inferInsert;
export type SourceRunRow = typeof botSourceRuns.$inferSelect;
export type SourcePageRow = typeof botSourcePages.$inferSelect;
export type SourceSchedule = SourceRow["schedule"];

/** The bot's source with this id: another bot's (another tenant's) is not found. */
const ofBot = (botId: string, sourceId: string) => and(eq(botSources.botId, botId), eq(botSources.id, sourceId));

export async function insertSource(db: Executor, values: NewSourceRow): Promise<SourceRow> {
  const [row] = await db.insert(botSources).values(values).returning();
  return row!;
}

export async function getSource(db: Executor, botId: string, sourceId: string): Promise<SourceRow | undefined> {
  const [row] = await db.select().from(botSources).where(ofBot(botId, sourceId));
  return row;
}

export async function listSources(db: Executor, botId: string): Promise<SourceRow[]> {
  return db.select().from(botSources).where(eq(botSources.botId, botId)).orderBy(desc(botSources.createdAt), desc(botSources.id));
}

export async function countSources(db: Executor, botId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(botSources).where(eq(botSources.botId, botId));
  return row?.n ?? 0;
}

export async function updateSource(
  db: Executor,
  botId: string,
  sourceId: string,
  patch: Partial<Pick<SourceRow, "allowedHosts" | "includePatterns" | "excludePatterns" | "maxPages" | "maxDepth" | "schedule" | "nextCrawlAt">>,
): Promise<SourceRow | undefined> {
  const [row] = await db.update(botSources).set(patch).where(ofBot(botId, sourceId)).returning();
  return row;
}

/** Removes the source (its runs and pages by cascade); returns its documents, for the caller to delete. */
export async function deleteSource(db: Executor, botId: string, sourceId: string): Promise<{ documentIds: string[] } | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ id: botSources.id }).from(botSources).where(ofBot(botId, sourceId)).for("update");
    if (!row) return undefined;
    const docs = await tx.select({ id: botDocuments.id }).from(botDocuments).where(and(eq(botDocuments.sourceId, sourceId), notDeleted()));
    await tx.delete(botSources).where(eq(botSources.id, sourceId));
    return { documentIds: docs.map((d) => d.id) };
  });
}

export async function listSourceRuns(db: Executor, sourceId: string, limit: number): Promise<SourceRunRow[]> {
  return db
    .select()
    .from(botSourceRuns)
    .where(eq(botSourceRuns.sourceId, sourceId))
    .orderBy(desc(botSourceRuns.startedAt), desc(botSourceRuns.id))
    .limit(limit);
}

/** Runs started this month by the workspace's sources (the plan's crawls per month). */
export async function countWorkspaceCrawlsSince(db: Executor, workspaceId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(botSourceRuns)
    .innerJoin(botSources, eq(botSources.id, botSourceRuns.sourceId))
    .innerJoin(bots, eq(bots.id, botSources.botId))
    .where(and(eq(bots.workspaceId, workspaceId), sql`${botSourceRuns.startedAt} >= ${since.toISOString()}`));
  return row?.n ?? 0;
}

// ---- The crawl worker ----

export interface StartedRun {
  source: SourceRow;
  workspaceId: string;
  run: SourceRunRow;
}

/**
 * Starts a run unless one is already going: the source row is locked, and a source
 * `crawling` whose last write is younger than `staleAfterMs` belongs to a live run (a
 * scheduled and a manual trigger, or two workers, never crawl one source at once). A run
 * whose worker died stops counting as live after that time.
 */
export async function beginSourceRun(
  db: Executor,
  params: { sourceId: string; trigger: string; staleAfterMs: number },
): Promise<StartedRun | { skipped: "missing" | "running" }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ source: botSources, workspaceId: bots.workspaceId })
      .from(botSources)
      .innerJoin(bots, eq(bots.id, botSources.botId))
      .where(eq(botSources.id, params.sourceId))
      .for("update", { of: botSources });
    if (!row) return { skipped: "missing" as const };
    const ageMs = Date.now() - row.source.updatedAt.getTime();
    if (row.source.status === "crawling" && ageMs < params.staleAfterMs) return { skipped: "running" as const };
    if (row.source.status === "crawling") {
      await tx
        .update(botSourceRuns)
        .set({ status: "failed", errorMessage: "The worker running this crawl stopped.", finishedAt: sql`now()` })
        .where(and(eq(botSourceRuns.sourceId, params.sourceId), eq(botSourceRuns.status, "running")));
    }
    const [source] = await tx
      .update(botSources)
      .set({ status: "crawling", errorMessage: null, pagesFound: 0, pagesProcessed: 0, pagesFailed: 0, pagesSkipped: 0 })
      .where(eq(botSources.id, params.sourceId))
      .returning();
    const [run] = await tx.insert(botSourceRuns).values({ sourceId: params.sourceId, trigger: params.trigger }).returning();
    return { source: source!, workspaceId: row.workspaceId, run: run! };
  });
}

export interface RunCounters {
  fetched: number;
  unchanged: number;
  changed: number;
  added: number;
  removed: number;
  failed: number;
  skipped: number;
}

export interface SourceCounters {
  pagesFound: number;
  pagesProcessed: number;
  pagesFailed: number;
  pagesSkipped: number;
}

/** Progress of a live run (also keeps the run from looking stale). */
export async function recordSourceProgress(
  db: Executor,
  params: { sourceId: string; runId: string; run: RunCounters; source: SourceCounters },
): Promise<void> {
  await db.update(botSourceRuns).set(params.run).where(eq(botSourceRuns.id, params.runId));
  await db.update(botSources).set(params.source).where(and(eq(botSources.id, params.sourceId), eq(botSources.status, "crawling")));
}

export async function finishSourceRun(
  db: Executor,
  params: {
    sourceId: string;
    runId: string;
    status: "completed" | "failed";
    errorMessage: string | null;
    run: RunCounters;
    source: SourceCounters;
    nextCrawlAt: Date | null;
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(botSourceRuns)
      .set({ ...params.run, status: params.status, errorMessage: params.errorMessage, finishedAt: sql`now()` })
      .where(eq(botSourceRuns.id, params.runId));
    await tx
      .update(botSources)
      .set({
        ...params.source,
        status: params.status,
        errorMessage: params.errorMessage,
        lastCrawlAt: sql`now()`,
        nextCrawlAt: params.nextCrawlAt,
      })
      .where(eq(botSources.id, params.sourceId));
  });
}

export async function listSourcePages(db: Executor, sourceId: string): Promise<SourcePageRow[]> {
  return db.select().from(botSourcePages).where(eq(botSourcePages.sourceId, sourceId));
}

export type SourcePageValues = Omit<typeof botSourcePages.$inferInsert, "id" | "createdAt" | "updatedAt">;

export async function upsertSourcePage(db: Executor, values: SourcePageValues): Promise<void> {
  const { sourceId: _sourceId, url: _url, ...rest } = values;
  await db
    .insert(botSourcePages)
    .values(values)
    .onConflictDoUpdate({ target: [botSourcePages.sourceId, botSourcePages.url], set: { ...rest, updatedAt: sql`now()` } });
}

export async function deleteSourcePages(db: Executor, sourceId: string, urls: string[]): Promise<void> {
  if (urls.length === 0) return;
  await db.delete(botSourcePages).where(and(eq(botSourcePages.sourceId, sourceId), inArray(botSourcePages.url, urls)));
}

/** Page documents of the source by status, for the source's counters. */
export async function countSourceDocuments(
  db: Executor,
  sourceId: string,
): Promise<{ processed: number; failed: number; pending: number }> {
  const rows = await db
    .select({ status: botDocuments.status, n: sql<number>`count(*)::int` })
    .from(botDocuments)
    .where(and(eq(botDocuments.sourceId, sourceId), notDeleted()))
    .groupBy(botDocuments.status);
  const of = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
  return { processed: of("PROCESSED"), failed: of("FAILED"), pending: of("PENDING") + of("PROCESSING") };
}

/** Sources whose schedule is not manual (the worker registers their job schedulers at start). */
export async function listScheduledSources(db: Executor): Promise<Pick<SourceRow, "id" | "schedule">[]> {
  return db
    .select({ id: botSources.id, schedule: botSources.schedule })
    .from(botSources)
    .where(or(eq(botSources.schedule, "hourly"), eq(botSources.schedule, "daily"), eq(botSources.schedule, "weekly")));
}

/** A crawling source whose run stopped writing long ago (its worker died). */
export async function listStaleCrawls(db: Executor, staleAfterMs: number): Promise<string[]> {
  const rows = await db
    .select({ id: botSources.id })
    .from(botSources)
    .where(and(eq(botSources.status, "crawling"), lt(botSources.updatedAt, sql`now() - make_interval(secs => ${staleAfterMs / 1000})`)));
  return rows.map((r) => r.id);
}

/**
 * New content for a page's document, re-indexed through the documents' own path: a new
 * version (so a job of the old one turns stale), PENDING until the ingest job commits, and
 * until then the old chunks keep answering. Returns the row, with the storage key it had.
 */
export async function replacePageContent(
  db: Executor,
  params: { documentId: string; storageKey: string; sizeBytes: number; contentHash: string; name: string; metadata: DocumentMetadata },
): Promise<{ id: string; botId: string; version: number; previousStorageKey: string | null } | undefined> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ storageKey: botDocuments.storageKey })
      .from(botDocuments)
      .where(and(eq(botDocuments.id, params.documentId), notDeleted()))
      .for("update");
    if (!before) return undefined;
    const [row] = await tx
      .update(botDocuments)
      .set({
        storageKey: params.storageKey,
        sizeBytes: params.sizeBytes,
        contentHash: params.contentHash,
        name: params.name,
        // The page's inherited keys are refreshed; keys an admin set on the document stay.
        metadata: sql`${botDocuments.metadata} || ${JSON.stringify(params.metadata)}::jsonb`,
        version: sql`case when ${botDocuments.status} = 'PENDING' then ${botDocuments.version} else ${botDocuments.version} + 1 end`,
        status: "PENDING",
        stage: "queued",
        progress: 0,
        errorMessage: null,
      })
      .where(eq(botDocuments.id, params.documentId))
      .returning({ id: botDocuments.id, botId: botDocuments.botId, version: botDocuments.version });
    return row && { ...row, previousStorageKey: before.storageKey };
  });
}
