/**
 * Integration-test harness: a fresh migrated database and a Redis prefix per test file,
 * the catalog seeded, documents stored in a temp directory (FS driver) and queued on
 * BullMQ under the file's Redis prefix, mail sent over SMTP to an in-process mailbox, and
 * `buildApp` driven through `inject`. `Client` keeps a session cookie and CSRF token like
 * the admin app does, or sends an API key. `signUp` goes through the mailed confirmation
 * link, as a person would.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureCatalog } from "@docent/db/catalog";
import { createIngestQueue } from "@docent/queue/producer";
import { createCrawlQueue } from "@docent/queue/crawl";
import { createWebhookQueue } from "@docent/queue/webhooks";
import { createRedis } from "@docent/queue/redis";
import { createFsStorage } from "@docent/storage/fs";
import { useTestDatabase } from "@docent/testing/db";
import { type Mailbox, type ReceivedMail, startMailbox } from "@docent/testing/mailbox";
import { useTestRedis } from "@docent/testing/redis";
import type { LightMyRequestResponse } from "fastify";
import { afterAll } from "vitest";
import { type ApiDeps, buildApp } from "../app";
import { apiEnvSchema } from "../env";

/**
 * Host names for website sources in tests, answered without a network: `*.example.test`
 * is a public address (the documentation range would be refused), `*.internal.test` a
 * private one; anything else does not resolve.
 */
export const testLookup: NonNullable<ApiDeps["lookup"]> = async (host) => {
  if (host.endsWith(".internal.test")) return [{ address: "10.1.2.3", family: 4 }];
  if (host.endsWith(".example.test")) return [{ address: "93.184.215.14", family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
};

export async function createTestApi(overrides: Record<string, string> = {}, deps: Pick<ApiDeps, "metrics" | "documentLimits"> = {}) {
  const database = await useTestDatabase();
  const redis = useTestRedis();
  await ensureCatalog(database.db);
  const mailbox = await startMailbox();
  const env = apiEnvSchema.parse({
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    REDIS_KEY_PREFIX: `${redis.prefix}:`,
    DOCENT_ENCRYPTION_KEYS: `test1:${randomBytes(32).toString("base64")}`,
    API_RATE_LIMIT_MAX: "100000",
    SMTP_URL: mailbox.url,
    PUBLIC_APP_URL: APP_URL,
    MAIL_PER_ADDRESS_PER_HOUR: "1000",
    ...overrides,
  });
  const storageDir = mkdtempSync(join(tmpdir(), "docent-api-storage-"));
  const storage = createFsStorage(storageDir);
  const jobsRedis = createRedis(redis.url, "producer");
  const queue = createIngestQueue({ connection: jobsRedis, prefix: redis.prefix });
  const crawlQueue = createCrawlQueue({ connection: jobsRedis, prefix: redis.prefix });
  const webhookQueue = createWebhookQueue({ connection: jobsRedis, prefix: redis.prefix });
  const app = await buildApp({
    env,
    db: database.db,
    redis: redis.client,
    storage,
    queue,
    jobsRedis,
    crawlQueue,
    webhookQueue,
    lookup: testLookup,
    ...deps,
  });
  mailboxes.set(app, mailbox);
  afterAll(async () => {
    await app.close();
    await queue.close();
    await crawlQueue.close();
    await webhookQueue.close();
    jobsRedis.disconnect();
    rmSync(storageDir, { recursive: true, force: true });
    await mailbox.close();
  });
  return { app, db: database.db, sql: database.sql, redis, env, storage, storageDir, queue, crawlQueue, webhookQueue, mailbox };
}

/** PUBLIC_APP_URL in tests: links in mail start with it. */
export const APP_URL = "http://app.docent.test";

/** The token of a mailed link to `path` (it travels in the URL fragment, `#token=...`). */
export function tokenFrom(mail: ReceivedMail, path: string): string {
  const link = mail.links.find((l) => l.startsWith(`${APP_URL}${path}#token=`));
  if (!link) throw new Error(`no ${path} link in "${mail.subject}": ${mail.links.join(" ") || "(no links)"}`);
  return decodeURIComponent(new URL(link).hash.slice("#token=".length));
}

/**
 * The first mail to `email` whose subject matches, among those received since
 * `since` (a count of `mailbox.messages`, taken before the request that sends it).
 */
export function mailTo(mailbox: Mailbox, email: string, subject: RegExp, since = 0): Promise<ReceivedMail> {
  return mailbox.waitFor(
    (m) => mailbox.messages.indexOf(m) >= since && m.to.includes(email.toLowerCase()) && subject.test(m.subject),
  );
}

export type TestApi = Awaited<ReturnType<typeof createTestApi>>;
type App = TestApi["app"];
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Client {
  email: string;
  password: string;
  userId: string;
  /** The personal workspace created at sign-up. */
  workspaceId: string;
  cookie: string;
  csrfToken: string;
  request(method: Method, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

let counter = 0;
export const uniqueEmail = (label = "user") => `${label}-${Date.now().toString(36)}-${++counter}@example.com`;

export function sessionCookieFrom(response: LightMyRequestResponse, name = "docent_session"): string {
  const cookie = response.cookies.find((c) => c.name === name);
  if (!cookie) throw new Error(`no ${name} cookie in response ${response.statusCode}: ${response.body}`);
  return `${name}=${cookie.value}`;
}

export function clientFor(app: App, session: Omit<Client, "request">): Client {
  return {
    ...session,
    request: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { cookie: session.cookie, "x-csrf-token": session.csrfToken, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
  };
}

/** The mailbox each test app sends to, so helpers given only the app can read its mail. */
const mailboxes = new WeakMap<object, Mailbox>();

export function mailboxOf(app: App): Mailbox {
  const mailbox = mailboxes.get(app);
  if (!mailbox) throw new Error("this app was not built by createTestApi: pass { app, mailbox }");
  return mailbox;
}

/** Signs up as a person does: the form, then the confirmation link from the mail. */
export async function signUp(
  target: App | { app: App; mailbox: Mailbox },
  label = "user",
  password = "correct horse battery",
): Promise<Client> {
  const { app, mailbox } = "mailbox" in target ? target : { app: target, mailbox: mailboxOf(target) };
  const email = uniqueEmail(label);
  const since = mailbox.messages.length;
  const response = await app.inject({ method: "POST", url: "/v1/auth/signup", payload: { email, password } });
  if (response.statusCode !== 202) throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
  const mail = await mailTo(mailbox, email, /Confirm your e-mail/, since);
  const verified = await app.inject({ method: "POST", url: "/v1/auth/verify-email", payload: { token: tokenFrom(mail, "/verify-email"), password } });
  if (verified.statusCode !== 200) throw new Error(`verification failed: ${verified.statusCode} ${verified.body}`);
  return sessionClient(app, email, password, verified);
}

export function sessionClient(app: App, email: string, password: string, response: LightMyRequestResponse): Client {
  const body = response.json();
  return clientFor(app, {
    email,
    password,
    userId: body.user.id,
    workspaceId: body.workspaces[0]?.workspaceId ?? "",
    cookie: sessionCookieFrom(response),
    csrfToken: body.csrfToken,
  });
}

/** Requests with `Authorization: Bearer <key>` and no cookie. */
export function keyClient(app: App, secret: string) {
  return (method: Method, url: string, body?: unknown) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${secret}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
}

/** Asserts the shared error format and returns the body. */
export function errorBody(response: LightMyRequestResponse) {
  const body = response.json() as {
    requestId: string;
    statusCode: number;
    error: string;
    message: string;
    details?: { issues?: { path: string; message: string }[] } & Record<string, unknown>;
  };
  if (
    typeof body.requestId !== "string" ||
    body.statusCode !== response.statusCode ||
    typeof body.error !== "string" ||
    typeof body.message !== "string"
  ) {
    throw new Error(`not the error format: ${response.statusCode} ${response.body}`);
  }
  return body;
}

/** `inviter` invites `invitee`'s address with a role; the invitee follows the mailed link and accepts. */
export async function inviteAndAccept(
  app: App,
  inviter: Client,
  workspaceId: string,
  invitee: Client,
  role: "OWNER" | "ADMIN" | "MEMBER" = "MEMBER",
): Promise<void> {
  const mailbox = mailboxOf(app);
  const since = mailbox.messages.length;
  const invited = await inviter.request("POST", `/v1/workspaces/${workspaceId}/invitations`, { email: invitee.email, role });
  if (invited.statusCode !== 201) throw new Error(`invitation failed: ${invited.statusCode} ${invited.body}`);
  const mail = await mailTo(mailbox, invitee.email, /invited you/, since);
  const accepted = await invitee.request("POST", "/v1/invitations/accept", { token: tokenFrom(mail, "/invitations/accept") });
  if (accepted.statusCode !== 200) throw new Error(`accepting failed: ${accepted.statusCode} ${accepted.body}`);
}
