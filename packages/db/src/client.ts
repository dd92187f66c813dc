/**
 * The database client factory: postgres.js underneath, drizzle on top, with the same
 * snake_case casing drizzle-kit used to generate the migrations.
 */
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = PostgresJsDatabase<Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either a database handle or an open transaction: query functions accept both. */
export type Executor = Database | Transaction;

export interface CreateDbOptions {
  url: string;
  /** Pool size; each service process holds at most this many connections. */
  max?: number;
  /** Name shown in pg_stat_activity, so an operator can tell services apart. */
  applicationName?: string;
}

export interface DbHandle {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export function createDb({ url, max = 10, applicationName = "docent" }: CreateDbOptions): DbHandle {
  const sql = postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: applicationName },
  });
  const db = drizzle({ client: sql, schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
