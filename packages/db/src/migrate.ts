/**
 * Applies the committed drizzle-kit migrations. An advisory lock makes concurrent
 * callers (several replicas starting at once, parallel test workers) take turns.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

/** An arbitrary constant shared by every Docent migrator. */
const MIGRATION_LOCK_KEY = 746_921_001;

export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migrate(drizzle({ client: sql, casing: "snake_case" }), { migrationsFolder });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

interface Journal {
  entries: { tag: string; when: number }[];
}

export interface MigrationStatus {
  /** Migrations this code ships that the database has not applied yet, oldest first. */
  pending: string[];
}

/**
 * Which of the committed migrations the database lacks. drizzle's migrator records each
 * applied migration with its journal timestamp and applies those newer than the last one,
 * so a migration is pending when its timestamp is later than the newest recorded.
 */
export async function migrationStatus(sql: postgres.Sql): Promise<MigrationStatus> {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as Journal;
  const [table] = await sql`select to_regclass('drizzle.__drizzle_migrations') as name`;
  let newest = -1;
  if (table?.name) {
    const [row] = await sql`select max(created_at)::bigint as newest from drizzle.__drizzle_migrations`;
    newest = row?.newest === null || row?.newest === undefined ? -1 : Number(row.newest);
  }
  return { pending: journal.entries.filter((e) => e.when > newest).map((e) => e.tag) };
}
