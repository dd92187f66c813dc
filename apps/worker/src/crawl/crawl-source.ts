/**
 * One run of a website source: collect the pages (links from the start URL, breadth
 * first to `maxDepth`, or the URLs of a sitemap), fetch each through the guarded fetcher
 * at the host's pace and as robots.txt allows, and turn each into a bot document:
 *
 * - unchanged pages (304 to the validators of the last run, the same bytes, or the same
 *   main content) cost no extraction and no embedding: only the page row is touched;
 * - new pages become WEB_PAGE documents, changed pages are re-indexed through the
 *   documents' own path (old chunks answer until the new ones commit), both by the
 *   ordinary ingest job;
 * - pages gone (404/410, dropped from the sitemap, or no longer linked when the whole site
 *   was read) are deleted with their chunks through the documents' delete path.
 *
 * Every page ends indexed, failed or skipped with a reason a person can read; a failure
 * of the run as a whole (robots.txt or the sitemap unreadable, the start URL refused)
 * fails the run with its reason.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Logger } from "@docent/config/logger";
import type { DocumentMetadata } from "@docent/contracts/metadata";
import type { Database } from "@docent/db/client";
import { insertDocument, markDocumentDeleted, purgeDeletedDocument } from "@docent/db/queries/documents";
import {
  beginSourceRun,
  countSourceDocuments,
  deleteSourcePages,
  finishSourceRun,
  listSourcePages,
  recordSourceProgress,
  replacePageContent,
  upsertSourcePage,
  type RunCounters,
  type SourcePageRow,
  type SourcePageValues,
  type SourceRow,
} from "@docent/db/queries/sources";
import { findLimitBreach, getCurrentPlan, lockWorkspaceQuota, planLimits } from "@docent/db/queries/usage";
import { readPage } from "@docent/ingest/crawl/page";
import { allowAll, parseRobots, type RobotsRules } from "@docent/ingest/crawl/robots";
import { createScope, normalizePageUrl } from "@docent/ingest/crawl/scope";
import { decodeText } from "@docent/ingest/text-decode";
import { FetchError, isIngestError } from "@docent/ingest/errors";
import { checkUrl } from "@docent/ingest/fetch";
import { CRAWLED_PAGE_PRIORITY, enqueueIngest, type IngestQueue } from "@docent/queue/producer";
import { nextCrawlAt, type CrawlSchedule } from "@docent/queue/crawl";
import type { CrawlSourcePayload } from "@docent/queue/jobs";
import { announceSourceStatus } from "@docent/queue/status";
import { documentStorageKey } from "@docent/storage/keys";
import type { ObjectStorage } from "@docent/storage/types";
import type { Redis } from "ioredis";
import { CrawlRunError } from "./errors";
import { createCrawlFetcher, type CrawlFetchOptions, type CrawlFetcher } from "./fetcher";
import { createHostPacer } from "./pacer";
import { readSitemaps, type SitemapLimits } from "./sitemaps";

export interface CrawlDeps {
  db: Database;
  storage: ObjectStorage;
  ingestQueue: IngestQueue;
  redis: Redis;
  queuePrefix: string;
  fetch: CrawlFetchOptions;
  /** Least time between two requests to one host. */
  hostIntervalMs: number;
  /** A `crawling` source not written for this long belongs to a dead run. */
  staleAfterMs: number;
  sitemap: SitemapLimits;
  /** Least time between two progress writes. */
  progressIntervalMs: number;
  /** Pages of one crawl fetched at once (requests to one host still keep its pace). */
  pagesInFlight: number;
  /** Aborted on SIGTERM: the run stops between pages and fails with the reason. */
  shutdownSignal: AbortSignal;
}

export type CrawlResult =
  | { status: "skipped"; reason: string }
  | { status: "completed" | "failed"; runId: string; counters: RunCounters; error?: string };


const HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1";
const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;

interface Visit {
  url: string;
  depth: number;
}

export async function crawlSource(deps: CrawlDeps, payload: CrawlSourcePayload, log: Logger): Promise<CrawlResult> {
  const started = await beginSourceRun(deps.db, { sourceId: payload.sourceId, trigger: payload.trigger, staleAfterMs: deps.staleAfterMs });
  if ("skipped" in started) {
    log.info({ reason: started.skipped }, "crawl not started");
    return { status: "skipped", reason: started.skipped === "running" ? "a crawl of this source is running" : "source deleted" };
  }
  const { source, workspaceId, run } = started;
  const runLog = log.child({ sourceId: source.id, runId: run.id });
  const crawl = new Crawl(deps, source, workspaceId, run.id, runLog);
  let error: string | null = null;
  try {
    await crawl.run();
  } catch (e) {
    error = e instanceof CrawlRunError || isIngestError(e) ? e.message : deps.shutdownSignal.aborted ? "The worker stopped during the crawl; the next run starts over." : "The crawl failed unexpectedly.";
    runLog.warn({ err: e }, "crawl failed");
  } finally {
    await crawl.close();
  }
  const status = error ? "failed" : "completed";
  const sourceCounters = await crawl.sourceCounters();
  await finishSourceRun(deps.db, {
    sourceId: source.id,
    runId: run.id,
    status,
    errorMessage: error,
    run: crawl.counters,
    source: sourceCounters,
    nextCrawlAt: nextCrawlAt(source.schedule as CrawlSchedule),
  });
  await announceSourceStatus(deps.redis, deps.queuePrefix, { sourceId: source.id, botId: source.botId, status, ...sourceCounters, errorMessage: error });
  runLog.info({ ...crawl.counters, status, error }, "crawl finished");
  return error ? { status, runId: run.id, counters: crawl.counters, error } : { status, runId: run.id, counters: crawl.counters };
}

class Crawl {
  readonly counters: RunCounters = { fetched: 0, unchanged: 0, changed: 0, added: 0, removed: 0, failed: 0, skipped: 0 };
  private readonly fetcher: CrawlFetcher;
  private readonly pacer;
  private readonly scope;
  private readonly known = new Map<string, SourcePageRow>();
  /** Page URLs this run decided on (fetched, or skipped with a reason). */
  private readonly visited = new Set<string>();
  /** robots.txt per host, read once even when several pages of the host start at once. */
  private readonly robots = new Map<string, Promise<RobotsRules>>();
  /** The run read everything in scope, so pages it did not reach are gone. */
  private complete = true;
  private lastProgress = 0;
  /** The source's own, or the plan's pages per source when that is lower (a plan lowered since). */
  private maxPages: number;
  private readonly signal: AbortSignal;

  constructor(
    private readonly deps: CrawlDeps,
    private readonly source: SourceRow,
    private readonly workspaceId: string,
    private readonly runId: string,
    private readonly log: Logger,
  ) {
    this.signal = deps.shutdownSignal;
    this.maxPages = source.maxPages;
    this.fetcher = createCrawlFetcher(deps.fetch, this.signal);
    this.pacer = createHostPacer(deps.hostIntervalMs, this.signal);
    const start = new URL(source.url);
    this.scope = createScope({
      hosts: [start.hostname, ...source.allowedHosts],
      include: source.includePatterns,
      exclude: source.excludePatterns,
    });
  }

  async close() {
    await this.fetcher.close();
  }

  async run(): Promise<void> {
    // Scheduled runs count too; this run's own row is already in the count.
    const crawls = await findLimitBreach(this.deps.db, { workspaceId: this.workspaceId, limit: "crawlsPerMonth", amount: 0 });
    if (crawls) throw new CrawlRunError(crawls.message);
    const pagesAllowed = planLimits(await getCurrentPlan(this.deps.db, this.workspaceId)).pagesPerSource;
    if (pagesAllowed !== null && pagesAllowed < this.maxPages) this.maxPages = pagesAllowed;
    for (const page of await listSourcePages(this.deps.db, this.source.id)) this.known.set(page.url, page);
    const start = normalizePageUrl(this.source.url);
    if (!start) throw new CrawlRunError(`"${this.source.url}" is not an http(s) address.`);
    // Refused addresses are refused again at every connection; this names the start URL.
    const { allowPrivate, lookup, allowAddress } = this.deps.fetch;
    await checkUrl(start, { allowPrivate, ...(lookup ? { lookup } : {}), ...(allowAddress ? { allowAddress } : {}) }).catch((error: unknown) => {
      throw new CrawlRunError(`The start URL was refused: ${isIngestError(error) ? error.message : String(error)}`, { cause: error });
    });
    // The start host's robots.txt decides whether there is a crawl at all.
    await this.robotsFor(new URL(start));

    if (this.source.kind === "sitemap") {
      const listed = await readSitemaps(this.fetcher, start, this.deps.sitemap, this.signal, this.log);
      if (listed.truncated) this.complete = false;
      const pages: Visit[] = [];
      for (const entry of listed.urls) {
        const verdict = this.scope(entry);
        if (!verdict.inScope) continue;
        if (pages.length >= this.maxPages) {
          this.complete = false;
          break;
        }
        pages.push({ url: verdict.url, depth: 0 });
      }
      await this.drain(pages, () => {});
    } else {
      const queuedUrls = new Set([start]);
      await this.drain([{ url: start, depth: 0 }], (from, links, frontier) => {
        if (from.depth >= this.source.maxDepth) {
          if (links.length > 0) this.complete = this.complete && links.every((l) => queuedUrls.has(l));
          return;
        }
        for (const link of links) {
          const verdict = this.scope(link);
          if (!verdict.inScope || queuedUrls.has(verdict.url)) continue;
          queuedUrls.add(verdict.url);
          frontier.push({ url: verdict.url, depth: from.depth + 1 });
        }
      });
    }
    if (this.complete) await this.removeUnreached();
  }

  /**
   * Visits the frontier, breadth first, `pagesInFlight` pages at a time (each host still
   * at its own pace), until it is empty or `maxPages` pages were taken. `onLinks` may add
   * to the frontier. A failure of the run stops taking pages; those in flight finish first.
   */
  private async drain(frontier: Visit[], onLinks: (from: Visit, links: string[], frontier: Visit[]) => void): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    while (!failure && (frontier.length > 0 || inFlight.size > 0)) {
      while (!failure && frontier.length > 0 && inFlight.size < this.deps.pagesInFlight) {
        if (this.visited.size >= this.maxPages) {
          this.complete = false;
          frontier.length = 0;
          break;
        }
        const next = frontier.shift()!;
        const task: Promise<void> = this.visit(next)
          .then((links) => onLinks(next, links, frontier))
          .catch((error: unknown) => {
            failure ??= { error };
          })
          .finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
      if (inFlight.size > 0) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure) throw failure.error;
  }

  /** Fetches and records one page; returns the links to follow from it. */
  private async visit(visit: Visit): Promise<string[]> {
    this.signal.throwIfAborted();
    if (this.visited.has(visit.url)) return [];
    this.visited.add(visit.url);
    let known = this.known.get(visit.url);
    const url = new URL(visit.url);
    let robots: RobotsRules;
    try {
      robots = await this.robotsFor(url);
    } catch (error) {
      // The start host's robots.txt was read before any page; another host's failing
      // costs only that host's pages.
      if (!(error instanceof CrawlRunError)) throw error;
      await this.fail(visit, known, error.message);
      return [];
    }
    if (!robots.isAllowed(visit.url)) {
      await this.skip(visit, known, "robots.txt does not allow this page to be crawled.");
      return [];
    }
    await this.pacer.wait(url.host);
    this.counters.fetched++;
    let fetched;
    try {
      fetched = await this.fetcher.fetch(visit.url, { etag: known?.etag, lastModified: known?.lastModified }, HTML_ACCEPT);
    } catch (error) {
      this.signal.throwIfAborted();
      if (error instanceof FetchError && (error.remoteStatus === 404 || error.remoteStatus === 410)) {
        if (known) await this.removePage(known);
        else await this.fail(visit, known, error.message);
        return [];
      }
      await this.fail(visit, known, isIngestError(error) ? error.message : "The page could not be fetched.");
      return [];
    }

    // The page is known by where it ends (after redirects), then by its canonical address.
    let pageUrl = normalizePageUrl(fetched.finalUrl) ?? visit.url;
    if (pageUrl !== visit.url) {
      const verdict = this.scope(pageUrl);
      if (!verdict.inScope) {
        await this.skip(visit, known, `The page redirects outside the source (${pageUrl}): ${verdict.reason}.`);
        return [];
      }
      if (this.visited.has(pageUrl)) return [];
      this.visited.add(pageUrl);
      known = this.known.get(pageUrl);
    }
    const at: Visit = { url: pageUrl, depth: visit.depth };

    if (fetched.notModified) {
      if (!known?.documentId) {
        await this.fail(at, known, "The site answered 304 Not Modified for a page this source has not indexed.");
        return [];
      }
      this.counters.unchanged++;
      await this.savePage(at, { ...pageValues(known), reason: null, etag: fetched.etag ?? known.etag, lastModified: fetched.lastModified ?? known.lastModified });
      return known.links;
    }

    const type = (fetched.contentType ?? "").split(";")[0]!.trim();
    if (type && !HTML_TYPES.test(type)) {
      await this.skip(at, known, `Not an HTML page (${type}).`);
      return [];
    }
    const bytes = Buffer.from(fetched.bytes.buffer, fetched.bytes.byteOffset, fetched.bytes.byteLength);
    const bodyHash = createHash("sha256").update(bytes).digest("hex");
    const validators = { etag: fetched.etag, lastModified: fetched.lastModified };
    if (known?.documentId && known.bodyHash === bodyHash) {
      this.counters.unchanged++;
      await this.savePage(at, { ...pageValues(known), reason: null, ...validators });
      return known.links;
    }

    const page = readPage(decodeText(bytes, { declaredCharset: charsetOf(fetched.contentType) }).text, pageUrl);
    const links = page.nofollow ? [] : page.links.filter((link) => this.scope(link).inScope);
    if (page.canonical && page.canonical !== pageUrl && this.scope(page.canonical).inScope) {
      if (this.visited.has(page.canonical)) {
        await this.skip(at, known, `A copy of ${page.canonical} (its canonical address).`);
        return links;
      }
      // Indexed under its canonical address: the page that address serves is this one.
      this.visited.add(page.canonical);
      pageUrl = page.canonical;
      at.url = pageUrl;
      known = this.known.get(pageUrl);
    }
    if (page.noindex) {
      await this.skip(at, known, "The page asks not to be indexed (meta robots noindex).");
      return links;
    }
    const meta = { path: new URL(pageUrl).pathname, lang: page.lang, title: page.title, links, bodyHash, ...validators };
    if (known?.documentId && known.contentHash === page.contentHash) {
      this.counters.unchanged++;
      await this.savePage(at, { ...pageValues(known), reason: null, ...meta });
      return links;
    }
    const html = Buffer.from(page.mainHtml, "utf8");
    const metadata = pageMetadata(this.source.url, pageUrl, page.lang, validators.lastModified);
    const documentId = known?.documentId
      ? await this.reindex(known.documentId, html, page.contentHash, page.title, metadata)
      : await this.add(pageUrl, html, page.contentHash, page.title, metadata);
    if (typeof documentId !== "string") {
      await this.skip(at, known, documentId.reason);
      return links;
    }
    await this.savePage(at, { ...meta, documentId, status: "indexed", reason: null, contentHash: page.contentHash });
    await this.progress();
    return links;
  }

  private async add(pageUrl: string, html: Buffer, contentHash: string, title: string, metadata: DocumentMetadata): Promise<string | { reason: string }> {
    const documentId = randomUUID();
    const storageKey = documentStorageKey(this.workspaceId, this.source.botId, documentId);
    await this.deps.storage.put(storageKey, html, { contentType: "text/html; charset=utf-8" });
    const outcome = await this.deps.db.transaction(async (tx) => {
      await lockWorkspaceQuota(tx, this.workspaceId);
      for (const limit of ["documentsPerBot", "storage", "processingJobsPerMonth"] as const) {
        const breach = await findLimitBreach(tx, {
          workspaceId: this.workspaceId,
          limit,
          botId: this.source.botId,
          ...(limit === "storage" ? { amount: html.length } : {}),
        });
        if (breach) return { reason: breach.message };
      }
      const row = await insertDocument(tx, {
        id: documentId,
        botId: this.source.botId,
        sourceId: this.source.id,
        createdBy: this.source.createdBy,
        name: title.slice(0, 255) || pageUrl.slice(0, 255),
        sourceType: "WEB_PAGE",
        mimeType: "text/html",
        sizeBytes: html.length,
        storageKey,
        sourceUrl: pageUrl,
        metadata,
        contentHash,
        status: "PENDING",
        stage: "queued",
      });
      return row;
    });
    if ("reason" in outcome) {
      await this.deps.storage.delete(storageKey).catch(() => {});
      return outcome;
    }
    await enqueueIngest(this.deps.ingestQueue, { documentId, botId: this.source.botId, workspaceId: this.workspaceId, version: outcome.version }, { priority: CRAWLED_PAGE_PRIORITY });
    this.counters.added++;
    return documentId;
  }

  private async reindex(documentId: string, html: Buffer, contentHash: string, title: string, metadata: DocumentMetadata): Promise<string | { reason: string }> {
    const breach = await findLimitBreach(this.deps.db, { workspaceId: this.workspaceId, limit: "processingJobsPerMonth" });
    if (breach) return { reason: breach.message };
    const storageKey = documentStorageKey(this.workspaceId, this.source.botId, documentId);
    await this.deps.storage.put(storageKey, html, { contentType: "text/html; charset=utf-8" });
    const row = await replacePageContent(this.deps.db, { documentId, storageKey, sizeBytes: html.length, contentHash, name: title.slice(0, 255), metadata });
    if (!row) {
      await this.deps.storage.delete(storageKey).catch(() => {});
      return { reason: "The page's document was deleted during the crawl." };
    }
    if (row.previousStorageKey && row.previousStorageKey !== storageKey) {
      await this.deps.storage.delete(row.previousStorageKey).catch((error: unknown) => this.log.warn({ err: error }, "old page content not deleted"));
    }
    await enqueueIngest(this.deps.ingestQueue, { documentId, botId: row.botId, workspaceId: this.workspaceId, version: row.version }, { priority: CRAWLED_PAGE_PRIORITY });
    this.counters.changed++;
    return documentId;
  }

  /** The page and its document (chunks and stored content) go, through the documents' delete path. */
  private async removePage(page: SourcePageRow): Promise<void> {
    if (page.documentId) {
      const marked = await markDocumentDeleted(this.deps.db, this.source.botId, page.documentId);
      if (marked) {
        // Busy (an ingest commit holds the row): the worker or its reaper finishes it.
        await purgeDeletedDocument({ db: this.deps.db, storage: this.deps.storage, logger: this.log }, page.documentId, { lockTimeoutMs: 2_000 });
      }
    }
    await deleteSourcePages(this.deps.db, this.source.id, [page.url]);
    this.known.delete(page.url);
    this.counters.removed++;
  }

  private async removeUnreached(): Promise<void> {
    for (const page of [...this.known.values()]) {
      if (!this.visited.has(page.url)) await this.removePage(page);
    }
  }

  private async skip(visit: Visit, known: SourcePageRow | undefined, reason: string) {
    this.counters.skipped++;
    await this.savePage(visit, { ...(known ? pageValues(known) : {}), status: known?.documentId ? "indexed" : "skipped", reason });
  }

  private async fail(visit: Visit, known: SourcePageRow | undefined, reason: string) {
    this.counters.failed++;
    this.log.info({ url: visit.url, reason }, "page failed");
    // A page that answered before keeps its document: a passing outage is not a removal.
    await this.savePage(visit, { ...(known ? pageValues(known) : {}), status: known?.documentId ? "indexed" : "failed", reason });
  }

  private async savePage(visit: Visit, values: Partial<SourcePageValues>) {
    await upsertSourcePage(this.deps.db, {
      status: "indexed",
      ...values,
      sourceId: this.source.id,
      url: visit.url,
      depth: visit.depth,
      lastRunId: this.runId,
      fetchedAt: new Date(),
    });
    await this.progress();
  }

  private robotsFor(url: URL): Promise<RobotsRules> {
    let rules = this.robots.get(url.host);
    if (!rules) {
      rules = this.readRobots(url);
      this.robots.set(url.host, rules);
    }
    return rules;
  }

  private async readRobots(url: URL): Promise<RobotsRules> {
    const robotsUrl = `${url.protocol}//${url.host}/robots.txt`;
    let rules: RobotsRules;
    try {
      await this.pacer.wait(url.host);
      const fetched = await this.fetcher.fetch(robotsUrl, {}, "text/plain");
      rules = fetched.notModified ? allowAll : parseRobots(robotsUrl, Buffer.from(fetched.bytes).toString("utf8"), this.deps.fetch.userAgent);
    } catch (error) {
      this.signal.throwIfAborted();
      if (error instanceof FetchError && error.remoteStatus !== undefined && error.remoteStatus >= 400 && error.remoteStatus < 500) {
        rules = allowAll;
      } else {
        const why = isIngestError(error) ? error.message : "it could not be fetched";
        throw new CrawlRunError(`robots.txt of ${url.host} could not be read, so the site was not crawled: ${why}`, { cause: error });
      }
    }
    if (rules.crawlDelaySeconds) this.pacer.slowDown(url.host, Math.min(rules.crawlDelaySeconds, 30) * 1000);
    return rules;
  }

  async sourceCounters() {
    const docs = await countSourceDocuments(this.deps.db, this.source.id);
    // pagesProcessed as of now; the API reads it live from the documents.
    return {
      pagesFound: this.visited.size,
      pagesProcessed: docs.processed,
      // Fetch failures only: the API adds the page documents that failed to index, live.
      pagesFailed: this.counters.failed,
      pagesSkipped: this.counters.skipped,
    };
  }

  private async progress(): Promise<void> {
    const now = Date.now();
    if (now - this.lastProgress < this.deps.progressIntervalMs) return;
    this.lastProgress = now;
    const source = await this.sourceCounters();
    await recordSourceProgress(this.deps.db, { sourceId: this.source.id, runId: this.runId, run: this.counters, source });
    await announceSourceStatus(this.deps.redis, this.deps.queuePrefix, {
      sourceId: this.source.id,
      botId: this.source.botId,
      status: "crawling",
      ...source,
      errorMessage: null,
    });
  }
}

function pageValues(page: SourcePageRow): Partial<SourcePageValues> {
  return {
    documentId: page.documentId,
    status: page.status,
    reason: page.reason,
    etag: page.etag,
    lastModified: page.lastModified,
    bodyHash: page.bodyHash,
    contentHash: page.contentHash,
    links: page.links,
    path: page.path,
    lang: page.lang,
    title: page.title,
  };
}

function charsetOf(contentType: string | null): string | undefined {
  const match = /charset=["']?([\w-]+)/i.exec(contentType ?? "");
  return match?.[1];
}

/**
 * What a page's document inherits from its source, as document metadata that retrieval
 * filters can match: `source` (the source's start URL or sitemap), `path`, and, when the
 * page says, `lang` (its <html lang>) and `updated_at` (its Last-Modified, as ISO 8601, so
 * `range` filters compare dates). Keys an admin sets on the document are kept beside them.
 */
export function pageMetadata(sourceUrl: string, pageUrl: string, lang: string | null | undefined, lastModified: string | null | undefined): DocumentMetadata {
  const metadata: DocumentMetadata = { source: sourceUrl.slice(0, 1000), path: new URL(pageUrl).pathname.slice(0, 1000) };
  if (lang) metadata.lang = lang.slice(0, 64);
  const updated = lastModified ? new Date(lastModified) : null;
  if (updated && !Number.isNaN(updated.getTime())) metadata.updated_at = updated.toISOString();
  return metadata;
}
