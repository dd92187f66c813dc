/**
 * The outage classifier against errors made by the real clients: postgres.js and drizzle
 * (a refused connection, a backend terminated by an administrator, a statement timeout),
 * ioredis (no connection), the OpenAI client behind our embedder (unreachable, 503, 500),
 * and errors that are not outages and must stay 500s or ordinary failures.
 */
import type {} from "@docent/testing/global-setup";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import type { AddressInfo } from "node:net";
import { createOpenAIEmbedder } from "@docent/embeddings";
import { FetchError } from "@docent/ingest";
import { drizzle } from "drizzle-orm/postgres-js";
import { sql as drizzleSql } from "drizzle-orm";
import { Redis } from "ioredis";
import postgres from "postgres";
import { afterAll, describe, expect, it, inject } from "vitest";
import { dependencyOutage, isDatabaseTimeout } from "./dependency-errors";

const databaseUrl = inject("databaseUrl");

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

const clients: postgres.Sql[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ timeout: 1 })));
});
const pg = (url: string, options: postgres.Options<Record<string, never>> = {}) => {
  const client = postgres(url, { max: 1, onnotice: () => {}, ...options });
  clients.push(client);
  return client;
};

describe("dependencyOutage: the database", () => {
  it("recognises a refused connection, raw and wrapped by drizzle", async () => {
    const url = new URL(databaseUrl);
    url.port = String(await closedPort());
    const sql = pg(url.toString());
    const raw = await rejection(sql`select 1`);
    expect((raw as { code?: string }).code).toBe("ECONNREFUSED");
    expect(dependencyOutage(raw)).toBe("database");
    const wrapped = await rejection(drizzle({ client: sql }).execute(drizzleSql`select 1`));
    expect(wrapped).not.toBe(raw);
    expect(dependencyOutage(wrapped)).toBe("database");
  });

  it("recognises a query cut off by an administrator's shutdown (57P01)", async () => {
    const victim = pg(databaseUrl);
    const [row] = await victim<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const pid = row!.pid;
    const running = rejection(victim`select pg_sleep(10)`);
    const admin = pg(databaseUrl);
    // Cut it while the query runs, not before it reaches the server.
    await expect
      .poll(async () => (await admin<{ query: string }[]>`select query from pg_stat_activity where pid = ${pid} and state = 'active'`)[0]?.query)
      .toMatch(/pg_sleep/);
    await admin`select pg_terminate_backend(${pid})`;
    // postgres.js reports the cut connection (CONNECTION_CLOSED) rather than the FATAL.
    expect(dependencyOutage(await running)).toBe("database");
  });

  it("recognises the SQLSTATEs of a server that is shutting down, starting or out of connections", () => {
    const postgresError = (code: string) =>
      new postgres.PostgresError({ name: "PostgresError", code, severity: "FATAL", message: code } as never);
    for (const code of ["57P01", "57P02", "57P03", "53300", "08006", "08001"]) {
      expect(dependencyOutage(postgresError(code)), code).toBe("database");
    }
    for (const code of ["23505", "42P01", "40001", "57014"]) expect(dependencyOutage(postgresError(code)), code).toBeUndefined();
  });

  it("treats a statement timeout as a timeout, not an outage, and a constraint violation as neither", async () => {
    const slow = pg(databaseUrl, { connection: { statement_timeout: 50 } });
    const timeout = await rejection(slow`select pg_sleep(2)`);
    expect(isDatabaseTimeout(timeout)).toBe(true);
    expect(dependencyOutage(timeout)).toBeUndefined();
    const sql = pg(databaseUrl);
    const violation = await rejection(sql`select 1/0`);
    expect(dependencyOutage(violation)).toBeUndefined();
    expect(isDatabaseTimeout(violation)).toBe(false);
  });
});

describe("dependencyOutage: Redis", () => {
  it("recognises commands refused while disconnected, with and without the offline queue", async () => {
    const port = await closedPort();
    const failFast = new Redis({ port, host: "127.0.0.1", enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    failFast.on("error", () => {});
    const refused = await rejection(failFast.get("k"));
    expect(dependencyOutage(refused)).toBe("redis");
    const queued = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1, retryStrategy: () => 10 });
    queued.on("error", () => {});
    const exhausted = await rejection(queued.get("k"));
    expect(dependencyOutage(exhausted)).toBe("redis");
    failFast.disconnect();
    queued.disconnect();
  });
});

describe("dependencyOutage: embedding providers", () => {
  let server: Server;
  let status = 503;
  const started = new Promise<string>((resolve) => {
    server = createServer((_req, res) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "nope", type: "server_error" } }));
    });
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const embedder = (baseURL: string) => createOpenAIEmbedder({ baseURL, apiKey: "k", model: "m", maxRetries: 0 });

  it("counts an unreachable endpoint and 429/503 as outages, a 500 and a 401 not", async () => {
    const unreachable = await rejection(embedder(`http://127.0.0.1:${await closedPort()}/v1`).embed(["a"]));
    expect(dependencyOutage(unreachable)).toBe("embedding");
    const baseURL = await started;
    const outcome = async (s: number) => {
      status = s;
      return dependencyOutage(await rejection(embedder(baseURL).embed(["a"])));
    };
    expect(await outcome(503)).toBe("embedding");
    expect(await outcome(429)).toBe("embedding");
    expect(await outcome(500)).toBeUndefined();
    expect(await outcome(401)).toBeUndefined();
  });
});

describe("dependencyOutage: not ours", () => {
  it("does not blame a dependency for a document's own URL refusing connections", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.1.2.3:80"), { code: "ECONNREFUSED", syscall: "connect" });
    const fetchError = new FetchError("Could not fetch the URL: connection refused.", { retryable: true, cause: refused });
    expect(dependencyOutage(fetchError)).toBeUndefined();
  });
});
