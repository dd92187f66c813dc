/**
 * The website source routes (issue #15) through the API, with an API key as an integrator
 * uses them: what creation refuses (4xx JSON naming the problem), the crawl queued at
 * creation and on request, the one job scheduler per scheduled source, the plan's limits,
 * and deletion taking the pages' documents with it. Host names resolve through the
 * harness's `testLookup` (no network): `*.example.test` public, `*.internal.test` private.
 */
import { randomUUID } from "node:crypto";
import { crawlSchedulerId } from "@docent/queue/crawl";
import { describe, expect, it } from "vitest";
import { apiEnvSchema } from "./env";
import { createTestApi, errorBody, keyClient, signUp } from "./testing/harness";

const { app, sql, crawlQueue } = await createTestApi();

async function seedBot(label: string) {
  const client = await signUp(app, label);
  const bot = (await client.request("POST", `/v1/workspaces/${client.workspaceId}/bots`, { name: "B" })).json() as { id: string };
  const key = (
    await client.request("POST", `/v1/workspaces/${client.workspaceId}/api-keys`, { name: "k", scopes: ["bots:read", "documents:write"] })
  ).json().secret as string;
  return { bot, workspaceId: client.workspaceId, api: keyClient(app, key) };
}

const { bot, workspaceId, api } = await seedBot("sources");
const base = `/v1/bots/${bot.id}/sources`;

async function jobsOf(sourceId: string) {
  const jobs = await crawlQueue.getJobs(["waiting", "delayed", "active", "prioritized"]);
  return jobs.filter((j) => j.data.sourceId === sourceId);
}

describe("ALLOW_PRIVATE_SOURCE_URLS", () => {
  it("is off unless set", () => {
    expect(apiEnvSchema.parse({}).ALLOW_PRIVATE_SOURCE_URLS).toBe(false);
    expect(apiEnvSchema.parse({ ALLOW_PRIVATE_SOURCE_URLS: "true" }).ALLOW_PRIVATE_SOURCE_URLS).toBe(true);
  });
});

describe("POST /bots/:botId/sources refuses bad input with a 4xx naming the problem", () => {
  it.each([
    ["a loopback address", { url: "http://127.0.0.1:8080/" }, 400, "UNSAFE_URL", /private or internal network address \(127\.0\.0\.1\).*ALLOW_PRIVATE_SOURCE_URLS/],
    ["a host on a private network", { url: "https://wiki.internal.test/" }, 400, "UNSAFE_URL", /10\.1\.2\.3/],
    ["a cloud metadata address", { url: "http://169.254.169.254/latest/" }, 400, "UNSAFE_URL", /private or internal/],
    ["a malformed URL", { url: "docs dot example" }, 400, "VALIDATION_FAILED", /not an absolute URL/],
    ["another scheme", { url: "ftp://files.example.test/" }, 400, "UNSAFE_URL", /Only http and https/],
    ["credentials in the URL", { url: "https://me:secret@docs.example.test/" }, 400, "UNSAFE_URL", /user name or password/],
    ["a host that does not resolve", { url: "https://nowhere.invalid/" }, 400, "VALIDATION_FAILED", /could not be resolved/],
    ["zero pages", { url: "https://docs.example.test/", maxPages: 0 }, 400, "VALIDATION_FAILED", /maxPages/],
    ["an unknown kind", { url: "https://docs.example.test/", kind: "ftp-site" }, 400, "VALIDATION_FAILED", /kind/],
    ["a path pattern without a slash", { url: "https://docs.example.test/", includePatterns: ["docs/**"] }, 400, "VALIDATION_FAILED", /path pattern/],
    ["an unknown field", { url: "https://docs.example.test/", depth: 3 }, 400, "VALIDATION_FAILED", /depth/],
  ])("%s", async (_what, body, status, code, message) => {
    const response = await api("POST", base, body);
    expect(response.statusCode, response.body).toBe(status);
    const error = errorBody(response);
    expect(error.error).toBe(code);
    expect(`${error.message} ${JSON.stringify(error.details ?? {})}`).toMatch(message);
  });

  it("creates nothing for refused input", async () => {
    expect((await api("GET", base)).json().sources).toEqual([]);
  });
});

describe("a source's life", () => {
  it("is created pending, with its first crawl queued and no schedule when manual", async () => {
    const response = await api("POST", base, { url: "https://docs.example.test/start#top", includePatterns: ["/docs/**"] });
    expect(response.statusCode, response.body).toBe(201);
    const source = response.json();
    expect(source).toMatchObject({
      kind: "website",
      url: "https://docs.example.test/start",
      status: "pending",
      schedule: "manual",
      maxDepth: 3,
      // The Free plan allows 50 pages per source, below the default of 100.
      maxPages: 50,
      includePatterns: ["/docs/**"],
      pagesFound: 0,
      nextCrawlAt: null,
    });
    const jobs = await jobsOf(source.id);
    expect(jobs.map((j) => j.data.trigger)).toEqual(["create"]);
    expect(await crawlQueue.getJobScheduler(crawlSchedulerId(source.id))).toBeUndefined();
  });

  it("keeps one job scheduler per scheduled source, however often the schedule is saved, and none once manual", async () => {
    const source = (await api("POST", base, { kind: "sitemap", url: "https://docs.example.test/sitemap.xml", schedule: "daily" })).json();
    expect(Date.parse(source.nextCrawlAt) - Date.now()).toBeGreaterThan(23 * 3600_000);
    const scheduler = await crawlQueue.getJobScheduler(crawlSchedulerId(source.id));
    expect(scheduler).toMatchObject({ every: 24 * 3600_000 });

    const weekly = await api("PATCH", `${base}/${source.id}`, { schedule: "weekly" });
    expect(weekly.statusCode, weekly.body).toBe(200);
    await api("PATCH", `${base}/${source.id}`, { schedule: "hourly" });
    await api("PATCH", `${base}/${source.id}`, { schedule: "hourly" });
    const schedulers = (await crawlQueue.getJobSchedulers()).filter((s) => s.key === crawlSchedulerId(source.id) || s.id === crawlSchedulerId(source.id));
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ every: 3600_000 });

    const manual = (await api("PATCH", `${base}/${source.id}`, { schedule: "manual" })).json();
    expect(manual.nextCrawlAt).toBeNull();
    expect(await crawlQueue.getJobScheduler(crawlSchedulerId(source.id))).toBeUndefined();
  });

  it("queues a crawl on request, and refuses one while a crawl runs", async () => {
    const source = (await api("POST", base, { url: "https://help.example.test/" })).json();
    const sync = await api("POST", `${base}/${source.id}/sync`);
    expect(sync.statusCode, sync.body).toBe(202);
    expect((await jobsOf(source.id)).map((j) => j.data.trigger).sort()).toEqual(["create", "manual"]);

    await sql`update bot_sources set status = 'crawling' where id = ${source.id}`;
    const busy = await api("POST", `${base}/${source.id}/sync`);
    expect(busy.statusCode).toBe(409);
    expect(errorBody(busy).error).toBe("SOURCE_CRAWL_RUNNING");

    // A crawl whose worker died (no write for 10 minutes) does not block a new one.
    await sql`update bot_sources set updated_at = now() - interval '11 minutes' where id = ${source.id}`;
    expect((await api("POST", `${base}/${source.id}/sync`)).statusCode).toBe(202);
  });

  it("lists its runs with what each did", async () => {
    const source = (await api("POST", base, { url: "https://runs.example.test/" })).json();
    await sql`insert into bot_source_runs (source_id, trigger, status, fetched, unchanged, changed, added, removed, failed, skipped, finished_at)
              values (${source.id}, 'schedule', 'completed', 100, 97, 1, 1, 1, 0, 0, now())`;
    const runs = (await api("GET", `${base}/${source.id}/runs`)).json().runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: "schedule", status: "completed", fetched: 100, unchanged: 97, changed: 1, added: 1, removed: 1 });
  });

  it("is deleted with its schedule and its pages' documents", async () => {
    const source = (await api("POST", base, { url: "https://gone.example.test/", schedule: "weekly" })).json();
    const [doc] = await sql<{ id: string }[]>`
      insert into bot_documents (bot_id, name, source_type, source_id, source_url, status)
      values (${bot.id}, 'Page', 'WEB_PAGE', ${source.id}, 'https://gone.example.test/', 'PROCESSED') returning id`;
    const other = await sql<{ id: string }[]>`
      insert into bot_documents (bot_id, name, source_type, status) values (${bot.id}, 'Upload', 'MANUAL_TEXT', 'PROCESSED') returning id`;

    expect((await api("DELETE", `${base}/${source.id}`)).statusCode).toBe(204);
    expect((await api("GET", `${base}/${source.id}`)).statusCode).toBe(404);
    expect(await sql`select 1 from bot_documents where id = ${doc!.id}`).toHaveLength(0);
    expect(await sql`select 1 from bot_documents where id = ${other[0]!.id}`).toHaveLength(1);
    expect(await crawlQueue.getJobScheduler(crawlSchedulerId(source.id))).toBeUndefined();
  });

  it("answers 404 for a source of another bot, and for one that does not exist", async () => {
    const other = await seedBot("sources-other");
    const theirs = (await other.api("POST", `/v1/bots/${other.bot.id}/sources`, { url: "https://theirs.example.test/" })).json();
    for (const [method, path] of [
      ["GET", `${base}/${theirs.id}`],
      ["PATCH", `${base}/${theirs.id}`],
      ["POST", `${base}/${theirs.id}/sync`],
      ["GET", `${base}/${theirs.id}/runs`],
      ["DELETE", `${base}/${theirs.id}`],
      ["GET", `${base}/${randomUUID()}`],
    ] as const) {
      const response = await api(method, path, method === "PATCH" ? { maxDepth: 1 } : undefined);
      expect(response.statusCode, `${method} ${path}`).toBe(404);
    }
    expect((await other.api("GET", `/v1/bots/${other.bot.id}/sources/${theirs.id}`)).statusCode).toBe(200);
  });
});

describe("plan limits", () => {
  it("refuses more pages per source than the plan allows, naming the limit", async () => {
    const response = await api("POST", base, { url: "https://big.example.test/", maxPages: 51 });
    expect(response.statusCode).toBe(402);
    expect(errorBody(response)).toMatchObject({
      error: "QUOTA_EXCEEDED",
      message: "Limit reached: 50 pages per website source on the Free plan.",
      details: { limit: "pagesPerSource", max: 50 },
    });
  });

  it("refuses a crawl past the plan's crawls per month, naming the limit", async () => {
    const fresh = await seedBot("sources-crawls");
    const source = (await fresh.api("POST", `/v1/bots/${fresh.bot.id}/sources`, { url: "https://month.example.test/" })).json();
    await sql`insert into bot_source_runs (source_id, trigger, status) select ${source.id}, 'manual', 'completed' from generate_series(1, 30)`;
    const response = await fresh.api("POST", `/v1/bots/${fresh.bot.id}/sources/${source.id}/sync`);
    expect(response.statusCode).toBe(402);
    expect(errorBody(response).message).toBe("Limit reached: 30 website crawls per month on the Free plan.");
    expect(workspaceId).not.toBe(fresh.workspaceId);
  });
});
