/**
 * Website sources of a bot: checked and saved here, crawled by the worker (crawl queue).
 * A start URL must be http(s) without credentials and resolve to public addresses
 * (private ones too with ALLOW_PRIVATE_SOURCE_URLS); the worker checks every request again
 * when it connects. Saving a schedule keeps the source's one BullMQ job scheduler in step.
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { getBotContext } from "@docent/db/queries/documents";
import {
  countSourceDocuments,
  deleteSource,
  getSource,
  insertSource,
  listSourceRuns,
  listSources,
  updateSource,
  type SourceRow,
  type SourceRunRow,
} from "@docent/db/queries/sources";
import type { createSourceBodySchema, SourceDto, SourceRunDto, updateSourceBodySchema } from "@docent/contracts/sources";
import { checkUrl, type ResolvedAddress } from "@docent/ingest/fetch";
import { isIngestError } from "@docent/ingest/errors";
import { enqueueCrawl, syncCrawlSchedule, type CrawlQueue } from "@docent/queue/crawl";
import { AppError, type ErrorCode } from "@docent/service-kit/errors";
import { assertWithinLimit } from "@docent/service-kit/plan-limits";
import { getCurrentPlan, planLimits } from "@docent/db/queries/usage";
import type { z } from "zod";

const DEFAULT_MAX_PAGES = 100;
/** As the worker's: a `crawling` source not written for this long belongs to a dead run. */
const STALE_CRAWL_MS = 10 * 60_000;

type CreateSourceBody = z.output<typeof createSourceBodySchema>;
type UpdateSourceBody = z.output<typeof updateSourceBodySchema>;

const fail = (code: ErrorCode, message: string, details?: Record<string, unknown>) => new AppError(message, { code, details });

export const sourceErrors = {
  botNotFound: () => fail("NOT_FOUND", "Bot not found."),
  sourceNotFound: () => fail("NOT_FOUND", "Source not found."),
  invalidUrl: (message: string) => fail("VALIDATION_FAILED", message, { field: "url" }),
  unsafeUrl: (message: string) => fail("UNSAFE_URL", message, { field: "url" }),
  crawlRunning: () => fail("SOURCE_CRAWL_RUNNING", "This source is being crawled; wait for the crawl to finish."),
};

export interface SourceServiceDeps {
  db: Database;
  queue: CrawlQueue;
  logger: Logger;
  /** ALLOW_PRIVATE_SOURCE_URLS. */
  allowPrivateSourceUrls: boolean;
  /** Deletes one document through the documents' delete path (chunks, stored content, status event). */
  deleteDocument(botId: string, documentId: string): Promise<void>;
  /** DNS lookup override (tests). */
  lookup?: (host: string) => Promise<ResolvedAddress[]>;
}

interface RequestContext {
  requestId?: string;
}

export function createSourceService(deps: SourceServiceDeps) {
  const { db, queue, logger } = deps;

  async function requireBot(botId: string) {
    const bot = await getBotContext(db, botId);
    if (!bot) throw sourceErrors.botNotFound();
    return bot;
  }

  async function requireSource(botId: string, sourceId: string): Promise<SourceRow> {
    const source = await getSource(db, botId, sourceId);
    if (!source) throw sourceErrors.sourceNotFound();
    return source;
  }

  /** A start URL or sitemap the crawl can use; 400 naming the problem otherwise. */
  async function checkStartUrl(raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw sourceErrors.invalidUrl(`"${raw.slice(0, 100)}" is not an absolute URL; give one like https://docs.example.com/.`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw sourceErrors.unsafeUrl("Only http and https sites can be crawled.");
    if (url.username || url.password) throw sourceErrors.unsafeUrl("URLs with a user name or password in them are not allowed.");
    url.hash = "";
    try {
      await checkUrl(url.toString(), { allowPrivate: deps.allowPrivateSourceUrls, ...(deps.lookup ? { lookup: deps.lookup } : {}) });
    } catch (error) {
      if (isIngestError(error) && error.code === "unsafe_url") {
        throw sourceErrors.unsafeUrl(
          deps.allowPrivateSourceUrls
            ? error.message
            : `${error.message} An operator can set ALLOW_PRIVATE_SOURCE_URLS=true to crawl sites on a private network.`,
        );
      }
      if (isIngestError(error)) throw sourceErrors.invalidUrl(error.message);
      throw error;
    }
    return url.toString();
  }

  async function dto(source: SourceRow): Promise<SourceDto> {
    const docs = await countSourceDocuments(db, source.id);
    return sourceDto(source, docs);
  }

  return {
    async create(input: { botId: string; body: CreateSourceBody; createdBy: string | null } & RequestContext): Promise<SourceDto> {
      const bot = await requireBot(input.botId);
      const url = await checkStartUrl(input.body.url);
      const planPages = planLimits(await getCurrentPlan(db, bot.workspaceId)).pagesPerSource;
      const maxPages = input.body.maxPages ?? Math.min(DEFAULT_MAX_PAGES, planPages ?? DEFAULT_MAX_PAGES);
      await assertWithinLimit(db, { workspaceId: bot.workspaceId, limit: "pagesPerSource", amount: maxPages });
      await assertWithinLimit(db, { workspaceId: bot.workspaceId, limit: "crawlsPerMonth" });
      const { url: _url, ...rest } = input.body;
      let source = await insertSource(db, { ...rest, maxPages, url, botId: bot.id, createdBy: input.createdBy });
      const nextCrawlAt = await syncCrawlSchedule(queue, source.id, source.schedule);
      if (nextCrawlAt) source = (await updateSource(db, bot.id, source.id, { nextCrawlAt })) ?? source;
      await enqueueCrawl(queue, { sourceId: source.id, trigger: "create", ...(input.requestId ? { requestId: input.requestId } : {}) });
      logger.info({ sourceId: source.id, botId: bot.id, kind: source.kind, schedule: source.schedule }, "source created");
      return dto(source);
    },

    async list(botId: string): Promise<SourceDto[]> {
      await requireBot(botId);
      return Promise.all((await listSources(db, botId)).map(dto));
    },

    async get(botId: string, sourceId: string): Promise<SourceDto> {
      return dto(await requireSource(botId, sourceId));
    },

    async update(botId: string, sourceId: string, body: UpdateSourceBody): Promise<SourceDto> {
      const bot = await requireBot(botId);
      const current = await requireSource(botId, sourceId);
      if (body.maxPages !== undefined && body.maxPages > current.maxPages) {
        await assertWithinLimit(db, { workspaceId: bot.workspaceId, limit: "pagesPerSource", amount: body.maxPages });
      }
      let source = (await updateSource(db, botId, sourceId, body)) ?? current;
      if (body.schedule !== undefined && body.schedule !== current.schedule) {
        const nextCrawlAt = await syncCrawlSchedule(queue, source.id, source.schedule);
        source = (await updateSource(db, botId, sourceId, { nextCrawlAt })) ?? source;
      }
      return dto(source);
    },

    /** Queues a crawl now (a running one finishes first; the new one then finds nothing running). */
    async sync(botId: string, sourceId: string, context: RequestContext = {}): Promise<void> {
      const bot = await requireBot(botId);
      const source = await requireSource(botId, sourceId);
      // A crawl that stopped writing long ago lost its worker; the next run takes over.
      if (source.status === "crawling" && Date.now() - source.updatedAt.getTime() < STALE_CRAWL_MS) throw sourceErrors.crawlRunning();
      await assertWithinLimit(db, { workspaceId: bot.workspaceId, limit: "crawlsPerMonth" });
      await enqueueCrawl(queue, { sourceId, trigger: "manual", ...(context.requestId ? { requestId: context.requestId } : {}) });
    },

    async runs(botId: string, sourceId: string, limit: number): Promise<SourceRunDto[]> {
      await requireSource(botId, sourceId);
      return (await listSourceRuns(db, sourceId, limit)).map(runDto);
    },

    /** The source, its schedule and its pages' documents (through the documents' delete path). */
    async remove(botId: string, sourceId: string): Promise<void> {
      await requireSource(botId, sourceId);
      await syncCrawlSchedule(queue, sourceId, "manual");
      const removed = await deleteSource(db, botId, sourceId);
      if (!removed) throw sourceErrors.sourceNotFound();
      for (const documentId of removed.documentIds) {
        await deps.deleteDocument(botId, documentId).catch((error: unknown) => {
          logger.warn({ err: error, documentId, sourceId }, "page document of a deleted source not deleted");
        });
      }
    },
  };
}

export type SourceService = ReturnType<typeof createSourceService>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function sourceDto(source: SourceRow, docs: { processed: number; failed: number; pending: number }): SourceDto {
  return {
    id: source.id,
    botId: source.botId,
    kind: source.kind,
    url: source.url,
    allowedHosts: source.allowedHosts,
    includePatterns: source.includePatterns,
    excludePatterns: source.excludePatterns,
    maxPages: source.maxPages,
    maxDepth: source.maxDepth,
    schedule: source.schedule,
    status: source.status,
    errorMessage: source.errorMessage,
    pagesFound: source.pagesFound,
    pagesProcessed: docs.processed,
    pagesPending: docs.pending,
    // Fetch failures of the last crawl (stored) plus page documents that failed to index (live).
    pagesFailed: source.pagesFailed + docs.failed,
    pagesSkipped: source.pagesSkipped,
    lastCrawlAt: iso(source.lastCrawlAt),
    nextCrawlAt: iso(source.nextCrawlAt),
    createdAt: source.createdAt.toISOString(),
    updatedAt: source.updatedAt.toISOString(),
  };
}

function runDto(run: SourceRunRow): SourceRunDto {
  return {
    id: run.id,
    trigger: run.trigger as SourceRunDto["trigger"],
    status: run.status,
    fetched: run.fetched,
    unchanged: run.unchanged,
    changed: run.changed,
    added: run.added,
    removed: run.removed,
    failed: run.failed,
    skipped: run.skipped,
    errorMessage: run.errorMessage,
    startedAt: run.startedAt.toISOString(),
    finishedAt: iso(run.finishedAt),
  };
}
