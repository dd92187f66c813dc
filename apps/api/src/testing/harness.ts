/**
 * Integration-test harness: a fresh migrated database and a Redis prefix per test file,
 * the catalog seeded, documents stored in a temp directory (FS driver) and queued on
 * BullMQ under the file's Redis prefix, and `buildApp` driven through `inject`. `Client` keeps a session
 * cookie and CSRF token like the admin app does, or sends an API key.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureCatalog } from "@docent/db/catalog";
import { createIngestQueue } from "@docent/queue/producer";
import { createRedis } from "@docent/queue/redis";
import { createFsStorage } from "@docent/storage";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import type { LightMyRequestResponse } from "fastify";
import { afterAll } from "vitest";
import { buildApp } from "../app";
import { apiEnvSchema } from "../env";

export async function createTestApi(overrides: Record<string, string> = {}) {
  const database = await useTestDatabase();
  const redis = useTestRedis();
  await ensureCatalog(database.db);
  const env = apiEnvSchema.parse({
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    REDIS_KEY_PREFIX: `${redis.prefix}:`,
    DOCENT_ENCRYPTION_KEYS: `test1:${randomBytes(32).toString("base64")}`,
    API_RATE_LIMIT_MAX: "100000",
    ...overrides,
  });
  const storageDir = mkdtempSync(join(tmpdir(), "docent-api-storage-"));
  const storage = createFsStorage(storageDir);
  const jobsRedis = createRedis(redis.url, "producer");
  const queue = createIngestQueue({ connection: jobsRedis, prefix: redis.prefix });
  const app = await buildApp({ env, db: database.db, redis: redis.client, storage, queue, jobsRedis });
  afterAll(async () => {
    await app.close();
    await queue.close();
    jobsRedis.disconnect();
    rmSync(storageDir, { recursive: true, force: true });
  });
  return { app, db: database.db, sql: database.sql, redis, env, storage, storageDir, queue };
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

export async function signUp(app: App, label = "user", password = "correct horse battery"): Promise<Client> {
  const email = uniqueEmail(label);
  const response = await app.inject({ method: "POST", url: "/v1/auth/signup", payload: { email, password } });
  if (response.statusCode !== 201) throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
  const body = response.json();
  return clientFor(app, {
    email,
    password,
    userId: body.user.id,
    workspaceId: body.workspaces[0].workspaceId,
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
