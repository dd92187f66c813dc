/**
 * Website source benchmark (`pnpm bench:crawl`, issue #15). On a throw-away database, one
 * worker process (its production start command, compiled: run `pnpm build` first) crawls
 * a 1,000-page site this script serves on 127.0.0.1, and indexes it end to end; then 1% of
 * the pages change and the source is crawled again. Embeddings go to an OpenAI-compatible
 * server of this script that counts the calls and texts. It measures:
 *
 * 1. first crawl: pages/s and total time until every page's document is PROCESSED, and the
 *    worker's peak RSS (VmHWM);
 * 2. re-sync with 1% changed: time, pages fetched / unchanged / changed, and embedding
 *    calls and texts (only the changed pages' chunks should be embedded).
 *
 * The site answers ETag / If-None-Match like a static server. CRAWL_HOST_INTERVAL_MS is 0
 * here (the site is local); with the default 500 ms pace a 1,000-page site takes 500 s.
 * It prints the figures and rewrites its own section of docs/benchmarks.md.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureCatalog } from "@docent/db/catalog";
import { createDb } from "@docent/db/client";
import { runMigrations } from "@docent/db/migrate";
import { insertSource } from "@docent/db/queries/sources";
import { createCrawlQueue, enqueueCrawl } from "@docent/queue/crawl";
import { createRedis } from "@docent/queue/redis";
import { createPlan, subscribe } from "@docent/testing/factories";
import type { BenchmarkProcess } from "@docent/testing/process";
import postgres from "postgres";
import { spawnWorker } from "../src/start-command";
import { startEmbeddingServer } from "../test/embedding-server";
import { seedBot } from "../test/seed";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const databaseServerUrl = process.env.DATABASE_URL ?? "postgres://docent:docent@127.0.0.1:5432/docent";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const pageCount = Number(process.env.BENCH_PAGES ?? 1000);
const changedShare = 0.01;

const log = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------- the site
const WORDS =
  "account billing invoice refund warranty delivery shipping return exchange order payment card plan upgrade downgrade team member role permission export import report dashboard widget chat answer question search document page section policy privacy security password login device mobile desktop browser language region tax currency discount coupon trial subscription cancel renew limit quota storage backup restore sync schedule webhook integration token key".split(
    " ",
  );

/** Deterministic text of a page: ~350 words in 6 paragraphs under 3 headings. */
function pageText(n: number, edition: number): string {
  let seed = n * 7919 + edition * 104729 + 17;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const sentence = () =>
    Array.from({ length: 12 }, () => WORDS[next() % WORDS.length]).join(" ").replace(/^./, (c) => c.toUpperCase()) + ".";
  const sections = [1, 2, 3].map(
    (s) => `<h2>Topic ${n}.${s}</h2>` + [1, 2].map(() => `<p>${Array.from({ length: 5 }, sentence).join(" ")}</p>`).join(""),
  );
  return `<p>Help article ${n}, edition ${edition}.</p>${sections.join("")}`;
}

async function startSite(pages: number) {
  const editions = new Map<number, number>();
  const sections = Math.ceil(pages / 100);
  const html = (title: string, body: string) =>
    `<!doctype html><html lang="en"><head><title>${title}</title></head><body><nav><a href="/">Home</a></nav><main><article><h1>${title}</h1>${body}</article></main><footer>Footer</footer></body></html>`;
  const render = (path: string): string | undefined => {
    if (path === "/") return html("Help centre", Array.from({ length: sections }, (_, s) => `<p><a href="/s/${s}">Section ${s}</a></p>`).join(""));
    const section = /^\/s\/(\d+)$/.exec(path);
    if (section) {
      const s = Number(section[1]);
      const links = Array.from({ length: 100 }, (_, i) => s * 100 + i).filter((n) => n < pages - sections - 1);
      return html(`Section ${s}`, `<p>Articles of section ${s}.</p>` + links.map((n) => `<p><a href="/p/${n}">Article ${n}</a></p>`).join(""));
    }
    const page = /^\/p\/(\d+)$/.exec(path);
    if (page) return html(`Article ${page[1]}`, pageText(Number(page[1]), editions.get(Number(page[1])) ?? 1));
    return undefined;
  };
  let requests = 0;
  let notModified = 0;
  const server = createServer((req, res) => {
    requests++;
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/robots.txt") {
      res.writeHead(200, { "content-type": "text/plain" }).end("User-agent: *\nAllow: /\n");
      return;
    }
    const body = render(path);
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const etag = `"${createHash("sha1").update(body).digest("hex")}"`;
    if (req.headers["if-none-match"] === etag) {
      notModified++;
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", etag }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const articles = pages - sections - 1;
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    articles,
    change(n: number) {
      editions.set(n, (editions.get(n) ?? 1) + 1);
    },
    counts: () => ({ requests, notModified }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// ---------------------------------------------------------------- helpers
function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function peakRssBytes(pid: number): number {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return kb * 1024;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface RunFigures {
  seconds: number;
  crawlSeconds: number;
  fetched: number;
  unchanged: number;
  changed: number;
  added: number;
  removed: number;
  failed: number;
  embedCalls: number;
  embedTexts: number;
}

// ---------------------------------------------------------------- main
async function main() {
  const dbName = `docent_bench_crawl_${randomBytes(4).toString("hex")}`;
  const admin = postgres(databaseServerUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const url = withDatabase(databaseServerUrl, dbName);
  const storageDir = mkdtempSync(join(tmpdir(), "docent-bench-crawl-"));
  const prefix = `docent-bench-${randomBytes(4).toString("hex")}`;
  const redis = createRedis(redisUrl, "producer");
  const handle = createDb({ url, max: 4, applicationName: "docent-bench-crawl" });
  const site = await startSite(pageCount);
  const embeddings = await startEmbeddingServer();
  let worker: BenchmarkProcess | undefined;
  try {
    await runMigrations(url);
    const { db, sql } = handle;
    await ensureCatalog(db);
    const { bot, workspace } = await seedBot(db);
    await subscribe(db, workspace.id, await createPlan(db, { maxDocumentsPerBot: null, maxDocProcessingJobsPerMonth: null, maxTotalDocumentStorageGb: null }));
    const source = await insertSource(db, { botId: bot.id, kind: "website", url: `${site.origin}/`, maxPages: pageCount, maxDepth: 3 });
    const queue = createCrawlQueue({ connection: redis, prefix });

    worker = spawnWorker({
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      STORAGE_DRIVER: "fs",
      STORAGE_DIR: storageDir,
      EMBEDDING_PROVIDER: "openai_compatible",
      EMBEDDING_BASE_URL: embeddings.baseUrl,
      EMBEDDING_MODEL: "bench-hash-768",
      EMBEDDING_API_KEY: "bench",
      ALLOW_PRIVATE_SOURCE_URLS: "true",
      CRAWL_HOST_INTERVAL_MS: "0",
    });
    void worker.exited.then((code) => {
      if (code !== 0 && code !== null) process.stderr.write(`worker exited with ${code}: ${worker?.output()}\n`);
    });
    await worker.ready;

    const run = async (n: number): Promise<RunFigures> => {
      const callsBefore = embeddings.calls.length;
      const textsBefore = embeddings.calls.reduce((t, c) => t + c.input.length, 0);
      const started = performance.now();
      await enqueueCrawl(queue, { sourceId: source.id, trigger: "manual" });
      let crawlSeconds = 0;
      await waitUntil(
        async () => {
          const [r] = await sql<{ status: string }[]>`select status from bot_source_runs where source_id = ${source.id} order by started_at offset ${n - 1} limit 1`;
          if (!r || r.status === "running") return false;
          crawlSeconds ||= (performance.now() - started) / 1000;
          const [open] = await sql<{ n: number; failed: number }[]>`
            select count(*) filter (where status in ('PENDING', 'PROCESSING'))::int as n, count(*) filter (where status = 'FAILED')::int as failed
              from bot_documents where source_id = ${source.id}`;
          if (open!.failed > 0) throw new Error(`${open!.failed} page documents failed`);
          return open!.n === 0;
        },
        30 * 60_000,
        `run ${n}`,
      );
      const seconds = (performance.now() - started) / 1000;
      const [r] = await sql<Omit<RunFigures, "seconds" | "crawlSeconds" | "embedCalls" | "embedTexts">[]>`
        select fetched, unchanged, changed, added, removed, failed from bot_source_runs where source_id = ${source.id} order by started_at offset ${n - 1} limit 1`;
      return {
        ...r!,
        seconds,
        crawlSeconds,
        embedCalls: embeddings.calls.length - callsBefore,
        embedTexts: embeddings.calls.reduce((t, c) => t + c.input.length, 0) - textsBefore,
      };
    };

    log(`site: ${pageCount} pages (${site.articles} articles), ${site.origin}`);
    const first = await run(1);
    const peak = peakRssBytes(worker.child.pid!);
    const [docs] = await sql<{ n: number; chunks: number }[]>`select count(*)::int as n, coalesce(sum(chunk_count), 0)::int as chunks from bot_documents where source_id = ${source.id}`;
    log(`first crawl: ${docs!.n} pages, ${docs!.chunks} chunks in ${first.seconds.toFixed(1)} s (crawl ${first.crawlSeconds.toFixed(1)} s) = ${(docs!.n / first.seconds).toFixed(1)} pages/s; ${first.embedCalls} embedding calls (${first.embedTexts} texts); worker peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB`);

    const toChange = Math.round(site.articles * changedShare);
    for (let i = 0; i < toChange; i++) site.change(Math.floor((i * site.articles) / toChange));
    const second = await run(2);
    log(`re-sync (${toChange} pages changed): ${second.seconds.toFixed(1)} s (crawl ${second.crawlSeconds.toFixed(1)} s); fetched ${second.fetched}, unchanged ${second.unchanged}, changed ${second.changed}; ${second.embedCalls} embedding calls (${second.embedTexts} texts)`);

    writeSection({ pages: docs!.n, chunks: docs!.chunks, first, second, toChange, peakMb: peak / 1024 / 1024 });
  } finally {
    if (worker) {
      worker.child.kill("SIGTERM");
      await worker.exited;
    }
    await site.close();
    await embeddings.close();
    await handle.close();
    redis.disconnect();
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

function writeSection(r: { pages: number; chunks: number; first: RunFigures; second: RunFigures; toChange: number; peakMb: number }) {
  const file = join(repoRoot, "docs/benchmarks.md");
  const start = "<!-- bench:crawl -->";
  const end = "<!-- /bench:crawl -->";
  const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
  const speedup = r.first.seconds / r.second.seconds;
  const section = `${start}
## Website sources: crawl and re-sync

Reproduce: \`pnpm build && DATABASE_URL=... REDIS_URL=... pnpm bench:crawl\` (a throw-away database;
source: \`apps/worker/bench/crawl.ts\`). Last run: ${new Date().toISOString().slice(0, 10)}, ${cpu}, ${cpus().length} cores,
${Math.round(totalmem() / 1024 ** 3)} GB. One worker process (its production start command, default concurrency) crawls a
${r.pages}-page site served on 127.0.0.1 by the benchmark (ETag / If-None-Match like a static server), with
\`ALLOW_PRIVATE_SOURCE_URLS=true\` and \`CRAWL_HOST_INTERVAL_MS=0\` (with the default 500 ms pace per host, fetching
alone would take ${Math.round(r.pages * 0.5)} s). Embeddings go to an OpenAI-compatible server of the benchmark that
counts calls and texts. Times run from queueing the crawl until every page's document is PROCESSED.

| measure | first crawl | re-sync, ${r.toChange} pages (1%) changed |
| --- | --- | --- |
| total time (crawl + indexing) | **${r.first.seconds.toFixed(1)} s** (${(r.pages / r.first.seconds).toFixed(1)} pages/s) | **${r.second.seconds.toFixed(1)} s** (${speedup.toFixed(0)}x faster; target >= 10x) |
| of which the crawl itself | ${r.first.crawlSeconds.toFixed(1)} s | ${r.second.crawlSeconds.toFixed(1)} s |
| pages fetched / unchanged / changed / added / removed / failed | ${r.first.fetched} / ${r.first.unchanged} / ${r.first.changed} / ${r.first.added} / ${r.first.removed} / ${r.first.failed} | ${r.second.fetched} / ${r.second.unchanged} / ${r.second.changed} / ${r.second.added} / ${r.second.removed} / ${r.second.failed} |
| embedding calls (texts) | ${r.first.embedCalls} (${r.first.embedTexts}; ${r.chunks} chunks in all) | **${r.second.embedCalls} (${r.second.embedTexts})** |
| worker peak RSS (VmHWM), whole benchmark | ${r.peakMb.toFixed(0)} MB | |

Unchanged pages answer 304 to the ETag the last run stored: no body, no parsing, no
extraction, no embedding, one row written. A changed page is re-indexed through the
documents' path, which embeds only the chunks whose text changed.
${end}`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const next =
    current.includes(start) && current.includes(end)
      ? current.slice(0, current.indexOf(start)) + section + current.slice(current.indexOf(end) + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
  log(`wrote ${file}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
