/**
 * The client's time limits, against the test PostgreSQL behind a TCP relay that the test
 * switches off and on (the service itself is never touched): a query right after the
 * database comes back is not held back by reconnect backoff, a server that accepts but
 * never answers fails the query after the connect timeout, and the statement timeout
 * reaches the server.
 */
import type {} from "./testing/global-setup";
import { startTcpRelay, targetOf, type TcpRelay } from "./testing/relay";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it, inject } from "vitest";
import { sql } from "drizzle-orm";
import { createDb, type DbHandle, executeWithAsyncCommit } from "./client";

const databaseUrl = new URL(inject("databaseUrl"));
const handles: DbHandle[] = [];
const servers: Server[] = [];
const relays: TcpRelay[] = [];
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
  for (const server of servers) server.close();
  for (const relay of relays) await relay.close();
});

const urlOnPort = (port: number) => {
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return url.toString();
};

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; error?: unknown }> {
  const started = performance.now();
  try {
    await work();
    return { ms: performance.now() - started };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

describe("createDb time limits", () => {
  it("answers the first query after the database is back without sitting out a reconnect backoff", async () => {
    const proxy = await startTcpRelay(targetOf(databaseUrl.toString(), 5432));
    relays.push(proxy);
    const handle = createDb({ url: proxy.urlFor(databaseUrl.toString()), max: 1 });
    handles.push(handle);
    await handle.sql`select 1`;
    await proxy.off();
    // An outage: every query fails, and each failed connection grows the backoff.
    for (let i = 0; i < 7; i++) {
      const attempt = await timed(() => handle.sql`select 1`);
      expect(attempt.error).toBeDefined();
    }
    await proxy.on();
    const first = await timed(() => handle.sql`select 1`);
    expect(first.error).toBeUndefined();
    expect(first.ms).toBeLessThan(1500);
  }, 60_000);

  it("fails a query after the connect timeout when the server accepts but never answers", async () => {
    const silent = createServer(() => {});
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const handle = createDb({ url: urlOnPort((silent.address() as AddressInfo).port), max: 1, connectTimeoutMs: 300 });
    handles.push(handle);
    const attempt = await timed(() => handle.sql`select 1`);
    expect((attempt.error as { code?: string }).code).toBe("CONNECT_TIMEOUT");
    expect(attempt.ms).toBeLessThan(2000);
  });

  it("has the server cancel a statement that runs past the statement timeout", async () => {
    const handle = createDb({ url: databaseUrl.toString(), max: 1, statementTimeoutMs: 100 });
    handles.push(handle);
    const attempt = await timed(() => handle.sql`select pg_sleep(3)`);
    expect((attempt.error as { code?: string }).code).toBe("57014");
    expect(attempt.ms).toBeLessThan(1500);
    await expect(handle.sql`select 1 as one`).resolves.toEqual([{ one: 1 }]);
  });

  it("fails the next query of a connection whose server went away instead of crashing the process", async () => {
    // postgres.js 3.4.9 threw from a setImmediate here (patches/postgres@3.4.9.patch):
    // an uncatchable TypeError that killed worker processes during a database restart.
    const proxy = await startTcpRelay(targetOf(databaseUrl.toString(), 5432));
    relays.push(proxy);
    const handle = createDb({ url: proxy.urlFor(databaseUrl.toString()), max: 1 });
    handles.push(handle);
    const reserved = await handle.sql.reserve();
    await reserved`select 1`;
    // The client has seen its connection close (postgres.js calls `onclose` then).
    const closed = new Promise<void>((resolve) => (handle.sql.options.onclose = () => resolve()));
    await proxy.off();
    await closed;
    const attempt = await timed(() => reserved`select 1`);
    expect((attempt.error as { code?: string }).code).toBe("CONNECTION_CLOSED");
    reserved.release();
  });
});

describe("executeWithAsyncCommit", () => {
  it("writes in one statement whose commit leaves the disk flush to the WAL writer, and only that statement's", async () => {
    const handle = createDb({ url: databaseUrl.toString(), max: 1 });
    handles.push(handle);
    const { db } = handle;
    // The test database is shared: a table of this run's own, dropped at the end.
    const probe = sql.identifier(`async_probe_${randomBytes(4).toString("hex")}`);
    await db.execute(sql`create table ${probe} (n int)`);
    // Cluster-wide WAL flushes; each phase's own backend stats are flushed before reading.
    const walSyncs = async () => {
      await db.execute(sql`select pg_stat_force_next_flush()`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [row] = await db.execute<{ n: string }>(sql`select wal_sync::text as n from pg_stat_wal`);
      return Number(row!.n);
    };
    const insert = (n: number) => sql`insert into ${probe} values (${n}) returning n`;
    const writes = 100;

    const before = await walSyncs();
    for (let i = 0; i < writes; i++) await db.execute(insert(i));
    const durable = (await walSyncs()) - before;
    const start = await walSyncs();
    const returned: { n: number }[] = [];
    for (let i = 0; i < writes; i++) returned.push(...(await executeWithAsyncCommit<{ n: number }>(db, insert(i))));
    const asynchronous = (await walSyncs()) - start;

    expect(returned.map((r) => r.n)).toEqual([...Array(writes).keys()]);
    // A durable commit flushes once; the asynchronous ones leave it to the WAL writer,
    // which flushes a few times a second (other tests' commits only add to both counts).
    expect(durable).toBeGreaterThanOrEqual(writes);
    expect(asynchronous).toBeLessThan(durable / 3);
    const [setting] = await db.execute<{ value: string }>(sql`select current_setting('synchronous_commit') as value`);
    expect(setting!.value).toBe("on");
    const [count] = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${probe}`);
    expect(count!.n).toBe(2 * writes);
    await db.execute(sql`drop table ${probe}`);
  });
});
