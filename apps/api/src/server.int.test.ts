/**
 * The API as it ships: its compiled start command (the image's CMD runs the same argv),
 * on this file's database and Redis. SIGTERM while an upload is still streaming in: the
 * upload completes with 201, new requests are turned away, and the process logs its
 * shutdown and exits 0 well within SHUTDOWN_TIMEOUT_MS. Started through `pnpm start`
 * (the package-script path) the signal reaches node the same way. A bad setting stops it
 * with one line naming the variable; an unmigrated database, with what to do.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type {} from "@docent/testing/global-setup";
import { useTestDatabase } from "@docent/testing/db";
import { startMailbox } from "@docent/testing/mailbox";
import { assertBuilt, freePort, spawnService, type ServiceProcess } from "@docent/testing/process";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const database = await useTestDatabase();
const redis = useTestRedis();
const storageDir = mkdtempSync(join(tmpdir(), "docent-api-process-"));
const mailbox = await startMailbox();
const started: ServiceProcess[] = [];
beforeAll(() => assertBuilt(apiDir));
afterAll(async () => {
  for (const service of started) if (service.child.exitCode === null) service.child.kill("SIGKILL");
  rmSync(storageDir, { recursive: true, force: true });
  await mailbox.close();
});

async function startApi(options: { viaPnpm?: boolean; env?: Record<string, string> } = {}) {
  const port = await freePort();
  const service = spawnService(
    apiDir,
    {
      HOST: "127.0.0.1",
      PORT: String(port),
      // Other api processes may be running (parallel test files): any free metrics port.
      METRICS_PORT: "0",
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `${redis.prefix}:`,
      QUEUE_PREFIX: redis.prefix,
      STORAGE_DRIVER: "fs",
      STORAGE_DIR: storageDir,
      SHUTDOWN_TIMEOUT_MS: "10000",
      SMTP_URL: mailbox.url,
      PUBLIC_APP_URL: "http://admin.test",
      ...options.env,
    },
    { viaPnpm: options.viaPnpm },
  );
  started.push(service);
  return { service, base: `http://127.0.0.1:${port}` };
}

/** Sign-up as a person does it: the form, then the confirmation link from the mail. */
async function signUpAndCreateBot(base: string) {
  const email = `process-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const password = "correct horse battery";
  const json = { "content-type": "application/json" };
  const signup = await fetch(`${base}/v1/auth/signup`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
  expect(signup.status).toBe(202);
  const mail = await mailbox.waitFor((m) => m.to.includes(email));
  const link = mail.links.find((l) => l.includes("/verify-email#token="))!;
  const token = decodeURIComponent(new URL(link).hash.slice("#token=".length));
  const verified = await fetch(`${base}/v1/auth/verify-email`, { method: "POST", headers: json, body: JSON.stringify({ token, password }) });
  expect(verified.status).toBe(200);
  const body = (await verified.json()) as { csrfToken: string; workspaces: { workspaceId: string }[] };
  const cookie = verified.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const headers = { cookie, "x-csrf-token": body.csrfToken };
  const bot = await fetch(`${base}/v1/workspaces/${body.workspaces[0]!.workspaceId}/bots`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ name: "Shutdown" }),
  });
  expect(bot.status).toBe(201);
  return { headers, botId: ((await bot.json()) as { id: string }).id };
}

/** A multipart upload whose body is sent in two halves; the second waits for `release`. */
function slowUpload(base: string, path: string, headers: Record<string, string>) {
  const boundary = "docent-process-test";
  const content = Buffer.from(`# Handbook\n\n${"Parcels ship within two working days. ".repeat(2000)}\n`);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="handbook.md"\r\nContent-Type: text/markdown\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = Buffer.concat([head, content, tail]);
  const half = Math.floor(body.length / 2);
  let release!: () => void;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, {
      method: "POST",
      headers: { ...headers, "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": body.length },
    });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.write(body.subarray(0, half));
    release = () => req.end(body.subarray(half));
  });
  return { response, release: () => release() };
}

const refused = (base: string) =>
  fetch(`${base}/healthz`).then(
    (r) => `answered ${r.status}`,
    (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.message,
  );

describe("the api process", () => {
  it.each([
    ["node (the image's command)", false],
    ["pnpm start (the package script)", true],
  ])("finishes an upload in flight on SIGTERM and exits cleanly: %s", async (_path, viaPnpm) => {
    const { service, base } = await startApi({ viaPnpm });
    await service.waitForLine(/Server listening/);
    const { headers, botId } = await signUpAndCreateBot(base);

    const upload = slowUpload(base, `/v1/bots/${botId}/documents`, headers);
    // In flight: the server has the request (its log says so) and half of its body.
    await service.waitForLine(/"url":"\/v1\/bots\/[^"]+\/documents".*"msg":"incoming request"/);
    service.child.kill("SIGTERM");
    await service.waitForLine(/"msg":"shutting down"/);
    // New work is turned away (the listener is closing: refused, reset or 503), never served.
    expect(await refused(base)).toMatch(/^(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|answered 503)$/);

    upload.release();
    const answer = await upload.response;
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ name: "handbook.md", status: "PENDING" });

    const line = await service.waitForLine(/"msg":"shutdown complete"/, 10_000);
    expect(JSON.parse(line).ms).toBeLessThan(10_000);
    if (!viaPnpm) expect(await service.exited).toEqual({ code: 0, signal: null });
    // The document the drained request created is really stored.
    const [row] = await database.sql`select count(*)::int as n from bot_documents where bot_id = ${botId}`;
    expect(row!.n).toBe(1);
  });

  it("is not ready while its storage directory cannot be written", async () => {
    const blocked = join(storageDir, "a-file");
    writeFileSync(blocked, "");
    const { service, base } = await startApi({ env: { STORAGE_DIR: join(blocked, "storage") } });
    await service.waitForLine(/Server listening/);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "unavailable", checks: { postgres: "ok", redis: "ok", storage: "failed" } });
    service.child.kill("SIGTERM");
    expect((await service.exited).code).toBe(0);
  });

  it("serves /metrics only on its own listener, with the token; DEFAULT_PLAN=unlimited puts new workspaces on Unlimited", async () => {
    const token = "process-metrics-token-000000";
    const { service, base } = await startApi({ env: { METRICS_TOKEN: token, DEFAULT_PLAN: "unlimited" } });
    const listening = JSON.parse(await service.waitForLine(/"msg":"metrics listening"/));
    expect(listening).toMatchObject({ host: "127.0.0.1", tokenRequired: true });
    expect(JSON.stringify(listening)).not.toContain(token);
    await service.waitForLine(/Server listening/);
    const { headers } = await signUpAndCreateBot(base);
    const workspaces = (await (await fetch(`${base}/v1/workspaces`, { headers })).json()) as { items: { id: string }[] };
    const usage = await fetch(`${base}/v1/workspaces/${workspaces.items[0]!.id}/usage`, { headers });
    expect(await usage.json()).toMatchObject({ plan: { code: "unlimited", maxBots: null, maxDocumentsPerBot: null }, usage: { bots: { used: 1, limit: null } } });

    // Not on the API's own port (nginx proxies /api there), and not without the token.
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    const metricsUrl = `http://127.0.0.1:${listening.port}/metrics`;
    expect((await fetch(metricsUrl)).status).toBe(401);
    const text = await (await fetch(metricsUrl, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(text).toMatch(/^process_cpu_seconds_total\{service="api"\} /m);
    expect(text).toMatch(/^docent_http_request_duration_seconds_count\{service="api",method="POST",route="\/v1\/workspaces\/:workspaceId\/bots",status_code="201"\} 1$/m);
    service.child.kill("SIGTERM");
    expect((await service.exited).code).toBe(0);
  });

  it("stops at start-up naming DEFAULT_PLAN when no such plan exists", async () => {
    const { service } = await startApi({ env: { DEFAULT_PLAN: "platinum" } });
    expect((await service.exited).code).toBe(1);
    const line = JSON.parse(await service.waitForLine(/"level":"fatal"/));
    expect(line.msg).toMatch(/^DEFAULT_PLAN=platinum: no plan with code "platinum": use one of free, pro, business, unlimited/);
  });

  it("stops at start-up with one line naming a bad setting, and exit status 78", async () => {
    const { service } = await startApi({ env: { DATABASE_URL: "mysql://nope", API_RATE_LIMIT_MAX: "lots" } });
    expect((await service.exited).code).toBe(78);
    const output = service.lines.join("\n");
    expect(output).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(output).toMatch(/API_RATE_LIMIT_MAX/);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it("stops at start-up naming an identity provider's missing variable (exit 78)", async () => {
    const { service } = await startApi({ env: { OIDC_PROVIDERS: "okta", OIDC_OKTA_CLIENT_ID: "docent" } });
    expect((await service.exited).code).toBe(78);
    expect(service.lines.join("\n")).toMatch(/OIDC_OKTA_ISSUER: is required: the issuer URL of "okta"/);
  });

  it("refuses to start on a database that lacks migrations, saying how to apply them", async () => {
    const empty = `docent_empty_${Date.now()}`;
    await database.sql.unsafe(`create database ${empty}`);
    try {
      const url = new URL(database.url);
      url.pathname = `/${empty}`;
      const { service } = await startApi({ env: { DATABASE_URL: url.toString() } });
      expect((await service.exited).code).toBe(1);
      const line = await service.waitForLine(/"level":"fatal"/);
      expect(JSON.parse(line).msg).toMatch(/lacks \d+ migration\(s\).*pnpm db:migrate/);
    } finally {
      await database.sql.unsafe(`drop database if exists ${empty} with (force)`);
    }
  });
});
