/**
 * Issue #15: a crawl reaches only what URL ingestion may reach. The site's own host is let
 * through (a public-looking name served on 127.0.0.1, as URL ingestion's tests do), with
 * ALLOW_PRIVATE_SOURCE_URLS off: a redirect to a private address, a link to a host that
 * resolves to one, and a cloud-metadata address are each refused when the connection
 * would open, the page failed with the reason, and nothing else of the run is lost.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ensureCatalog } from "@docent/db/catalog";
import { insertSource } from "@docent/db/queries/sources";
import type { ResolvedAddress } from "@docent/ingest/fetch";
import { createCrawlQueue, enqueueCrawl } from "@docent/queue/crawl";
import { createPlan, subscribe } from "@docent/testing/factories";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createCrawlWorker } from "./crawl-worker";
import { createRig, logger } from "../test/harness";
import { seedBot } from "../test/seed";

const rig = await createRig();
const { database } = rig;
await ensureCatalog(database.db);
const { bot, workspace } = await seedBot(database.db);
await subscribe(database.db, workspace.id, await createPlan(database.db, { maxDocumentsPerBot: null, maxDocProcessingJobsPerMonth: null }));

/** A loopback server the policy must keep the crawler away from (it records any visit). */
const internalHits: string[] = [];
const internal = createServer((req, res) => {
  internalHits.push(req.url ?? "");
  res.writeHead(200, { "content-type": "text/html" }).end("<p>internal admin panel</p>");
});
await new Promise<void>((resolve) => internal.listen(0, "127.0.0.1", resolve));
const internalPort = (internal.address() as AddressInfo).port;

let sitePort = 0;
const site = createServer((req, res) => {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  const html = (body: string) =>
    res.writeHead(200, { "content-type": "text/html" }).end(`<html><head><title>${path}</title></head><body><main><article><p>${body}</p></article></main></body></html>`);
  if (path === "/robots.txt") return void res.writeHead(404).end();
  if (path === "/") {
    return html(
      `${"Public page with links for the crawler to follow. ".repeat(10)}
       <a href="/to-loopback">a</a> <a href="/to-metadata">b</a> <a href="http://intranet.example.test:${sitePort}/">c</a> <a href="/fine">d</a>`,
    );
  }
  if (path === "/to-loopback") return void res.writeHead(302, { location: `http://127.0.0.1:${internalPort}/admin` }).end();
  if (path === "/to-metadata") return void res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
  if (path === "/fine") return html("A fine public page that is indexed. ".repeat(10));
  res.writeHead(404).end();
});
await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
sitePort = (site.address() as AddressInfo).port;

const lookup = async (host: string): Promise<ResolvedAddress[]> => {
  if (host === "www.example.test") return [{ address: "127.0.0.1", family: 4 }];
  if (host === "intranet.example.test") return [{ address: "10.20.30.40", family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
};

const crawlQueue = createCrawlQueue({ connection: rig.redis, prefix: rig.testRedis.prefix });
const crawler = createCrawlWorker({
  db: database.db,
  storage: rig.s3.storage,
  redis: rig.redis,
  queuePrefix: rig.testRedis.prefix,
  logger,
  concurrency: 1,
  // ALLOW_PRIVATE_SOURCE_URLS off; only the site's own address and port are let through.
  fetch: {
    allowPrivate: false,
    lookup,
    allowAddress: (address, port) => address === "127.0.0.1" && port === sitePort,
    maxBytes: 1024 * 1024,
    timeoutMs: 5_000,
    userAgent: "DocentBot/1.0 (+test)",
  },
  hostIntervalMs: 0,
  progressIntervalMs: 50,
  outageDeadlineMs: 60_000,
});
await crawler.start();
afterAll(async () => {
  await crawler.close();
  await crawlQueue.close();
  site.closeAllConnections();
  internal.closeAllConnections();
  await Promise.all([new Promise((r) => site.close(r)), new Promise((r) => internal.close(r))]);
});

describe("a crawl under the address policy", () => {
  it("refuses redirects and links to private and metadata addresses, page by page, and indexes the rest", async () => {
    const source = await insertSource(database.db, {
      botId: bot.id,
      kind: "website",
      url: `http://www.example.test:${sitePort}/`,
      allowedHosts: ["intranet.example.test"],
      maxPages: 20,
      maxDepth: 2,
    });
    await enqueueCrawl(crawlQueue, { sourceId: source.id, trigger: "manual" });
    const run = await vi.waitFor(
      async () => {
        const [row] = await database.sql<{ status: string; failed: number; added: number; errorMessage: string | null }[]>`
          select status, failed, added, error_message as "errorMessage" from bot_source_runs where source_id = ${source.id}`;
        if (row && row.status !== "running") return row;
        throw new Error("crawl not finished");
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(run).toMatchObject({ status: "completed", added: 2, failed: 3 }); // error: ${JSON.stringify(run)}
    const pages = new Map(
      (await database.sql<{ url: string; status: string; reason: string | null }[]>`select url, status, reason from bot_source_pages where source_id = ${source.id}`).map(
        (p) => [p.url, p],
      ),
    );
    const origin = `http://www.example.test:${sitePort}`;
    expect(pages.get(`${origin}/to-loopback`)).toMatchObject({ status: "failed", reason: expect.stringMatching(/private or internal network address \(127\.0\.0\.1\)/) });
    expect(pages.get(`${origin}/to-metadata`)).toMatchObject({ status: "failed", reason: expect.stringMatching(/169\.254\.169\.254/) });
    expect(pages.get(`http://intranet.example.test:${sitePort}/`)).toMatchObject({ status: "failed", reason: expect.stringMatching(/10\.20\.30\.40/) });
    expect(pages.get(`${origin}/fine`)).toMatchObject({ status: "indexed" });
    expect(internalHits).toEqual([]);
  });
});
