/**
 * Website sources end to end below HTTP (issue #15): a real site served on 127.0.0.1 by
 * the test (test/site.ts), crawled by the crawl worker through the guarded fetcher, its
 * pages indexed by the ingest worker into Postgres, then crawled again after the site
 * changed.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { countSourceDocuments, insertSource, type RunCounters, type SourceRow } from "@docent/db/queries/sources";
import { createPlan, subscribe } from "@docent/testing/factories";
import { crawlSchedulerId, createCrawlQueue, enqueueCrawl } from "@docent/queue/crawl";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCrawlWorker, type CrawlWorkerOptions } from "./crawl-worker";
import { workerEnvSchema } from "./env";
import { createRig, logger } from "../test/harness";
import { seedBot } from "../test/seed";
import { startSite, type TestSite } from "../test/site";

const rig = await createRig({ concurrency: 2 });
const { database, counts } = rig;
await ensureCatalog(database.db);
const { bot, workspace } = await seedBot(database.db);
// A plan that does not get in the way; the plan limits have their own test below.
await subscribe(database.db, workspace.id, await createPlan(database.db, { maxDocumentsPerBot: null, maxDocProcessingJobsPerMonth: null, maxTotalDocumentStorageGb: null }));
const crawlQueue = createCrawlQueue({ connection: rig.redis, prefix: rig.testRedis.prefix });

const crawlOptions = (overrides: Partial<CrawlWorkerOptions> = {}): CrawlWorkerOptions => ({
  db: database.db,
  storage: rig.s3.storage,
  redis: rig.redis,
  queuePrefix: rig.testRedis.prefix,
  logger,
  concurrency: 2,
  // ALLOW_PRIVATE_SOURCE_URLS=true: the site is on 127.0.0.1.
  fetch: { allowPrivate: true, maxBytes: 200 * 1024, timeoutMs: 1_500, userAgent: "DocentBot/1.0 (+test)" },
  hostIntervalMs: 0,
  progressIntervalMs: 20,
  sitemap: { maxBytes: 1024 * 1024 },
  outageDeadlineMs: 60_000,
  ...overrides,
});
const crawler = createCrawlWorker(crawlOptions());
await crawler.start();

let site: TestSite;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await crawler.close();
  await crawlQueue.close();
  await site.close();
});

async function addSource(values: Partial<SourceRow> & Pick<SourceRow, "kind" | "url">): Promise<SourceRow> {
  return insertSource(database.db, { botId: bot.id, maxPages: 100, maxDepth: 5, ...values });
}

type RunRow = RunCounters & { id: string; status: string; errorMessage: string | null };

/** Queues a run and waits until it has finished and every page's document has settled. */
async function crawl(sourceId: string, runNumber: number): Promise<RunRow> {
  await enqueueCrawl(crawlQueue, { sourceId, trigger: "manual" });
  const run = await vi.waitFor(
    async () => {
      const runs = await database.sql<RunRow[]>`
        select id, status, fetched, unchanged, changed, added, removed, failed, skipped, error_message as "errorMessage"
          from bot_source_runs where source_id = ${sourceId} order by started_at`;
      const last = runs[runNumber - 1];
      if (runs.length === runNumber && last && last.status !== "running") return last;
      throw new Error(`run ${runNumber} of ${sourceId} not finished: ${JSON.stringify(runs)}`);
    },
    { timeout: 30_000, interval: 50 },
  );
  await vi.waitFor(
    async () => {
      const [row] = await database.sql<{ n: number }[]>`
        select count(*)::int as n from bot_documents where source_id = ${sourceId} and status in ('PENDING', 'PROCESSING')`;
      if (row!.n > 0) throw new Error(`${row!.n} documents still processing`);
    },
    { timeout: 30_000, interval: 50 },
  );
  return run;
}

async function pagesOf(sourceId: string) {
  const rows = await database.sql<{ url: string; status: string; reason: string | null; documentId: string | null }[]>`
    select url, status, reason, document_id as "documentId" from bot_source_pages where source_id = ${sourceId}`;
  return new Map(rows.map((r) => [new URL(r.url).pathname, r]));
}

async function documentsOf(sourceId: string) {
  const rows = await database.sql<{ id: string; url: string; status: string; sourceType: string; chunkCount: number; version: number; metadata: Record<string, unknown> }[]>`
    select id, source_url as url, status, source_type as "sourceType", chunk_count as "chunkCount", version, metadata
      from bot_documents where source_id = ${sourceId}`;
  return new Map(rows.map((r) => [new URL(r.url).pathname, r]));
}

async function textOf(documentId: string): Promise<string> {
  const rows = await database.sql<{ content: string }[]>`
    select content from bot_document_chunks where document_id = ${documentId} order by chunk_index`;
  return rows.map((r) => r.content).join("\n");
}

describe("a website source", () => {
  let source: SourceRow;
  let first: RunRow;

  beforeAll(async () => {
    source = await addSource({ kind: "website", url: `${site.origin}/`, maxDepth: 2 });
    first = await crawl(source.id, 1);
  });

  it("indexes the pages reachable from the start URL as documents of the source, main content only", async () => {
    expect(first.status).toBe("completed");
    const docs = await documentsOf(source.id);
    expect([...docs.keys()].sort()).toEqual(["/", "/a", "/b", "/c", "/changing", "/deep-1", "/deep-2", "/gone"]);
    for (const doc of docs.values()) {
      expect(doc).toMatchObject({ status: "PROCESSED", sourceType: "WEB_PAGE" });
      expect(doc.chunkCount).toBeGreaterThan(0);
    }
    const alpha = await textOf(docs.get("/a")!.id);
    expect(alpha).toContain("Alpha warranty lasts 24 months");
    expect(alpha).not.toContain("NavigationMenuText");
    expect(alpha).not.toContain("FooterBoilerplateText");
    expect(first).toMatchObject({ added: 8, changed: 0, unchanged: 0, removed: 0 });
    // Each page's document inherits metadata that retrieval filters can match.
    expect(docs.get("/a")!.metadata).toEqual({ source: `${site.origin}/`, path: "/a", lang: "en" });
    expect(docs.get("/b")!.metadata).toMatchObject({ path: "/b", updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it("fetches a page once however many fragments link to it, and follows a redirect to its target", async () => {
    expect(site.hits("/b")).toHaveLength(1);
    expect(site.hits("/old-c")).toHaveLength(1);
    const pages = await pagesOf(source.id);
    // Known by where it ends: the redirect's target is the page, fetched once.
    expect(pages.has("/old-c")).toBe(false);
    expect(pages.get("/c")?.status).toBe("indexed");
    expect(site.hits("/c")).toHaveLength(1);
    expect([...(await documentsOf(source.id)).keys()].filter((p) => ["/c", "/c-copy", "/old-c"].includes(p))).toEqual(["/c"]);
  });

  it("honours robots.txt, stays on the site and stops at the maximum depth", async () => {
    expect(site.hits("/private/secret")).toHaveLength(0);
    expect((await pagesOf(source.id)).get("/private/secret")).toMatchObject({ status: "skipped", reason: expect.stringMatching(/robots\.txt/) });
    expect(site.hits("/deep-3")).toHaveLength(0);
    expect(site.requests.every((r) => r.userAgent === "DocentBot/1.0 (+test)")).toBe(true);
  });

  it("skips duplicates by canonical address, non-HTML answers and noindex pages, with the reason", async () => {
    const pages = await pagesOf(source.id);
    // /old-c (redirected to /c) and /c-copy (canonical /c) are one page, whichever is read
    // first (pages are fetched several at a time): one document, at /c.
    expect(pages.get("/c")).toMatchObject({ status: "indexed" });
    expect(pages.get("/c-copy")?.documentId ?? null).toBeNull();
    if (pages.has("/c-copy")) expect(pages.get("/c-copy")).toMatchObject({ status: "skipped", reason: expect.stringContaining("canonical") });
    expect(pages.get("/manual.pdf")).toMatchObject({ status: "skipped", reason: "Not an HTML page (application/pdf)." });
    expect(pages.get("/noindex")).toMatchObject({ status: "skipped", reason: expect.stringContaining("noindex") });
  });

  it("fails a redirect loop, a page over the size limit and a page that never answers, each with a readable reason", async () => {
    const pages = await pagesOf(source.id);
    expect(pages.get("/loop-1")).toMatchObject({ status: "failed", reason: expect.stringMatching(/Too many redirects/) });
    expect(pages.get("/big")).toMatchObject({ status: "failed", reason: expect.stringMatching(/larger than/) });
    expect(pages.get("/slow")).toMatchObject({ status: "failed", reason: expect.stringMatching(/timed out|127\.0\.0\.1/) });
    expect(first.failed).toBe(3);
    const [row] = await database.sql<{ status: string; pagesFound: number; pagesProcessed: number; pagesFailed: number; pagesSkipped: number; lastCrawlAt: Date | null }[]>`
      select status, pages_found as "pagesFound", pages_processed as "pagesProcessed", pages_failed as "pagesFailed",
             pages_skipped as "pagesSkipped", last_crawl_at as "lastCrawlAt" from bot_sources where id = ${source.id}`;
    expect(row).toMatchObject({ status: "completed", pagesFailed: 3, pagesSkipped: first.skipped });
    // Processed is live: the documents' ingest goes on after the crawl itself ended.
    expect(await countSourceDocuments(database.db, source.id)).toEqual({ processed: 8, failed: 0, pending: 0 });
    expect(row!.lastCrawlAt).not.toBeNull();
  });

  it("re-syncs: unchanged pages cost no embedding, a changed page is re-indexed, a page gone is removed with its chunks", async () => {
    const before = await documentsOf(source.id);
    const gone = before.get("/gone")!;
    const changing = before.get("/changing")!;
    const textsBefore = counts.texts;
    site.state.changingVersion = 2;
    site.state.goneExists = false;
    await database.sql`update bot_documents set metadata = metadata || '{"team": "support"}'::jsonb where id = ${changing.id}`;

    const second = await crawl(source.id, 2);
    expect(second).toMatchObject({ status: "completed", changed: 1, added: 0, removed: 1 });
    expect(second.unchanged).toBe(6);
    // The validators went back: /a answered 304 to If-None-Match, /b to If-Modified-Since.
    expect(site.hits("/a").at(-1)).toMatchObject({ ifNoneMatch: '"alpha-v1"', status: 304 });
    expect(site.hits("/b").at(-1)).toMatchObject({ status: 304 });
    expect(site.hits("/b").at(-1)?.ifModifiedSince).toBeDefined();

    const after = await documentsOf(source.id);
    expect(after.has("/gone")).toBe(false);
    const [chunksLeft] = await database.sql<{ n: number }[]>`select count(*)::int as n from bot_document_chunks where document_id = ${gone.id}`;
    expect(chunksLeft!.n).toBe(0);
    expect(after.get("/changing")).toMatchObject({ id: changing.id, status: "PROCESSED", version: changing.version + 1 });
    expect(await textOf(changing.id)).toContain("Changing page version 2");
    // A re-indexed page keeps the keys an admin added and refreshes its inherited ones.
    expect(after.get("/changing")!.metadata).toMatchObject({ path: "/changing", team: "support" });
    expect(await textOf(changing.id)).not.toContain("Changing page version 1");
    // Only the changed page's chunks were embedded (unchanged chunks of it are reused too).
    expect(counts.texts - textsBefore).toBeGreaterThan(0);
    expect(counts.texts - textsBefore).toBeLessThanOrEqual(after.get("/changing")!.chunkCount);
    for (const path of ["/", "/a", "/b", "/c", "/deep-1", "/deep-2"]) {
      expect(after.get(path)).toMatchObject({ id: before.get(path)!.id, version: before.get(path)!.version });
    }
  });
});

describe("a sitemap source", () => {
  it("reads a sitemap index with a gzipped sitemap and indexes the pages it lists", async () => {
    site.state.goneExists = true;
    const source = await addSource({ kind: "sitemap", url: `${site.origin}/sitemap_index.xml` });
    const run = await crawl(source.id, 1);
    expect(run).toMatchObject({ status: "completed", added: 5, failed: 0 });
    expect([...(await documentsOf(source.id)).keys()].sort()).toEqual(["/a", "/b", "/c", "/changing", "/gone"]);

    site.state.goneExists = false;
    const second = await crawl(source.id, 2);
    // Dropped from the sitemap: removed without being fetched again.
    expect(second).toMatchObject({ status: "completed", removed: 1, added: 0 });
    expect((await documentsOf(source.id)).has("/gone")).toBe(false);
  });

  it.each([
    ["a sitemap index nested without end", "/nested-0.xml", /nests more than 2 levels/],
    ["a gzip bomb", "/sitemap-huge.xml.gz", /larger than 1 MB uncompressed/],
    ["an HTML page", "/not-a-sitemap", /HTML page, not XML/],
  ])("fails the run on %s, with the reason", async (_what, path, reason) => {
    const source = await addSource({ kind: "sitemap", url: `${site.origin}${path}` });
    const run = await crawl(source.id, 1);
    expect(run.status).toBe("failed");
    expect(run.errorMessage).toMatch(reason);
    const [row] = await database.sql<{ status: string; errorMessage: string }[]>`
      select status, error_message as "errorMessage" from bot_sources where id = ${source.id}`;
    expect(row).toMatchObject({ status: "failed", errorMessage: run.errorMessage });
  });
});

describe("the address policy", () => {
  it("keeps private addresses refused unless ALLOW_PRIVATE_SOURCE_URLS is set", () => {
    expect(workerEnvSchema.parse({}).ALLOW_PRIVATE_SOURCE_URLS).toBe(false);
    expect(workerEnvSchema.parse({ ALLOW_PRIVATE_SOURCE_URLS: "true" }).ALLOW_PRIVATE_SOURCE_URLS).toBe(true);
  });

  it("refuses a start URL on a private address when ALLOW_PRIVATE_SOURCE_URLS is off, and fetches nothing", async () => {
    const strict = createCrawlWorker(crawlOptions({ fetch: { ...crawlOptions().fetch, allowPrivate: false }, queuePrefix: `${rig.testRedis.prefix}-strict` }));
    const strictQueue = createCrawlQueue({ connection: rig.redis, prefix: `${rig.testRedis.prefix}-strict` });
    await strict.start();
    try {
      const source = await addSource({ kind: "website", url: `${site.origin}/strict-start` });
      await enqueueCrawl(strictQueue, { sourceId: source.id, trigger: "manual" });
      const run = await vi.waitFor(
        async () => {
          const [row] = await database.sql<RunRow[]>`select status, error_message as "errorMessage" from bot_source_runs where source_id = ${source.id}`;
          if (row && row.status !== "running") return row;
          throw new Error("not finished");
        },
        { timeout: 15_000, interval: 50 },
      );
      expect(run.status).toBe("failed");
      expect(run.errorMessage).toMatch(/private or internal network address \(127\.0\.0\.1\)/);
      expect(site.hits("/strict-start")).toHaveLength(0);
    } finally {
      await strict.close();
      await strictQueue.close();
    }
  });
});

describe("plan limits", () => {
  it("skips the pages past the plan's documents per bot, naming the limit", async () => {
    const small = await seedBot(database.db);
    const plan = await createPlan(database.db, { name: `Tiny ${Date.now()}`, maxDocumentsPerBot: 2, maxDocProcessingJobsPerMonth: null });
    await subscribe(database.db, small.workspace.id, plan);
    const source = await insertSource(database.db, { botId: small.bot.id, kind: "sitemap", url: `${site.origin}/sitemap_index.xml`, maxPages: 100, maxDepth: 0 });
    const run = await crawl(source.id, 1);
    expect(run).toMatchObject({ status: "completed", added: 2 });
    const reasons = [...(await pagesOf(source.id)).values()].filter((p) => p.status === "skipped").map((p) => p.reason);
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason).toBe(`Limit reached: 2 documents per bot on the ${plan.name} plan.`);
  });
});

describe("runs of one source", () => {
  it("never overlap: of two crawls queued at once, one runs and the other is dropped", async () => {
    const source = await addSource({ kind: "website", url: `${site.origin}/a`, maxDepth: 0 });
    await Promise.all([
      enqueueCrawl(crawlQueue, { sourceId: source.id, trigger: "manual" }),
      enqueueCrawl(crawlQueue, { sourceId: source.id, trigger: "schedule" }),
    ]);
    await vi.waitFor(
      async () => {
        const counts = await crawlQueue.getJobCounts("completed", "waiting", "active", "delayed");
        const jobs = (await crawlQueue.getJobs(["completed"])).filter((j) => j.data.sourceId === source.id);
        if (jobs.length < 2) throw new Error(`waiting for both jobs: ${JSON.stringify(counts)}`);
        return jobs;
      },
      { timeout: 15_000, interval: 50 },
    );
    const results = (await crawlQueue.getJobs(["completed"])).filter((j) => j.data.sourceId === source.id).map((j) => j.returnvalue as { status: string });
    const runs = await database.sql<{ startedAt: Date; finishedAt: Date }[]>`
      select started_at as "startedAt", finished_at as "finishedAt" from bot_source_runs where source_id = ${source.id} order by started_at`;
    // The second found the first running and was dropped, or (had the first ended by then) ran after it.
    expect(runs.length + results.filter((r) => r.status === "skipped").length).toBe(2);
    const ms = (t: unknown) => Date.parse(String(t instanceof Date ? t.toISOString() : t));
    for (let i = 1; i < runs.length; i++) expect(ms(runs[i]!.startedAt)).toBeGreaterThanOrEqual(ms(runs[i - 1]!.finishedAt));
    const [row] = await database.sql<{ n: number }[]>`select count(*)::int as n from bot_documents where source_id = ${source.id}`;
    expect(row!.n).toBe(1);
  });

  it("runs from its job scheduler, which lives in Redis (a restarted worker finds it)", async () => {
    const source = await addSource({ kind: "website", url: `${site.origin}/b`, maxDepth: 0, schedule: "hourly" });
    // The scheduler's first tick is due now instead of in an hour.
    await crawlQueue.upsertJobScheduler(crawlSchedulerId(source.id) as "crawl-source", { every: 3600_000 }, {
      name: "crawl-source",
      data: { sourceId: source.id, trigger: "schedule" },
    });
    const run = await vi.waitFor(
      async () => {
        const [row] = await database.sql<RunRow[]>`select status, added, error_message as "errorMessage" from bot_source_runs where source_id = ${source.id}`;
        if (row && row.status !== "running") return row;
        throw new Error("no scheduled run yet");
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(run).toMatchObject({ status: "completed", added: 1 });
    expect(await crawlQueue.getJobScheduler(crawlSchedulerId(source.id))).toMatchObject({ every: 3600_000 });
    await crawlQueue.removeJobScheduler(crawlSchedulerId(source.id));
  });
});
