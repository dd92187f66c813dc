/**
 * The database client factory: postgres.js underneath, drizzle on top, with the same
 * snake_case casing drizzle-kit used to generate the migrations.
 *
 * Time limits keep a request from hanging on the database: opening a connection gives up
 * after `connectTimeoutMs`, a statement after `statementTimeoutMs` (enforced by the
 * server), and after failed connection attempts the next attempt waits at most a second
 * (postgres.js would otherwise wait up to 20 s: requests that arrive during or right
 * after a restart would sit out that wait instead of failing or succeeding at once).
 */
import { type SQLWrapper, sql } from "drizzle-orm";
import { PgDialect, type PgSession } from "drizzle-orm/pg-core";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = PostgresJsDatabase<Schema> & { $client: postgres.Sql };
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either a database handle or an open transaction: query functions accept both. */
export type Executor = Database | Transaction;
/**
 * What functions that only run SQL statements (`executePrepared`) take: a drizzle handle
 * (database or transaction), or a transaction opened on postgres.js itself.
 */
export type StatementRunner = { readonly _: { readonly session: Pick<PgSession, "prepareQuery"> } } | postgres.TransactionSql;

export interface CreateDbOptions {
  url: string;
  /** Pool size; each service process holds at most this many connections. */
  max?: number;
  /** Name shown in pg_stat_activity, so an operator can tell services apart. */
  applicationName?: string;
  /** Longest wait for a new connection (TCP connect and start-up), in ms. Default 5000. */
  connectTimeoutMs?: number;
  /** Server-side limit on any one statement, in ms; 0 means none. Default 0. */
  statementTimeoutMs?: number;
}

export interface DbHandle {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
}

/** Seconds before reconnect attempt `retries` (1, 2, ...): 0.1, 0.2, 0.4, 0.8, then 1. */
export function reconnectDelaySeconds(retries: number): number {
  return Math.min(0.05 * 2 ** retries, 1);
}

export function createDb({
  url,
  max = 10,
  applicationName = "docent",
  connectTimeoutMs = 5000,
  statementTimeoutMs = 0,
}: CreateDbOptions): DbHandle {
  const sql = postgres(url, {
    max,
    onnotice: () => {},
    connect_timeout: connectTimeoutMs / 1000,
    backoff: reconnectDelaySeconds,
    connection: {
      application_name: applicationName,
      ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    },
  });
  const db = drizzle({ client: sql, schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/**
 * Runs one write statement (an insert or upsert, with `returning` when its rows are
 * wanted) in its own implicit transaction that commits without waiting for its WAL to
 * reach disk: the statement also calls `set_config('synchronous_commit', 'off', true)`,
 * which lasts until that transaction's commit, so the connection is back to durable
 * commits for its next statement. One round trip (an explicit transaction costs four).
 *
 * Meant for the bookkeeping rows written on every request (usage counters, query logs): a
 * crash of Postgres itself can lose the last moments of them (never leaves them
 * inconsistent, and a crash of the service loses nothing), and the request does not wait
 * for a disk flush, which is what grows when the machine is busy (1.9 ms at the median,
 * 8.6 ms at p95 measured on the development machine under load). Everything a user stores
 * keeps the default, durable commit. Do not call it inside a transaction: it would make
 * that whole transaction's commit asynchronous.
 */
export async function executeWithAsyncCommit<T extends Record<string, unknown>>(
  db: Database,
  statement: SQLWrapper,
): Promise<T[]> {
  return executePrepared<T>(db, sql`
    with written as (${statement.getSQL()})
    select written.* from written, (select set_config('synchronous_commit', 'off', true)) as async_commit`);
}

const dialect = new PgDialect();

/**
 * Runs a statement as a prepared statement of the executor's connection: postgres.js
 * prepares each distinct text once per connection and Postgres keeps its plan, so a
 * repeat costs no parse or planning (about 0.3 ms a statement for the search queries;
 * `execute` sends every statement unnamed, parsed and planned anew). For the statements
 * of the hot paths, whose text does not change between calls (every value a parameter).
 */
export async function executePrepared<T extends Record<string, unknown>>(executor: StatementRunner, statement: SQLWrapper): Promise<T[]> {
  const query = dialect.sqlToQuery(statement.getSQL());
  if (!("_" in executor)) {
    return (await executor.unsafe(query.sql, query.params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as T[];
  }
  // Any name makes the postgres.js session prepare it (postgres.js names it by its text).
  const rows = await executor._.session.prepareQuery(query, undefined, "docent", false).execute();
  return rows as T[];
}
