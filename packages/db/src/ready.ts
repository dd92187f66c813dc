/**
 * Start-up check shared by the services: PostgreSQL answers, and its schema has every
 * migration this version ships. A service that started against an older schema would
 * fail request by request; this stops it at once with a message saying what to do.
 */
import { StartupError } from "@docent/config/run-service";
import type postgres from "postgres";
import { migrationStatus } from "./migrate";

/** "host:port/database" of a connection URL, without its credentials. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

export async function assertDatabaseReady(sql: postgres.Sql, url: string): Promise<void> {
  try {
    await sql`select 1`;
  } catch (error) {
    throw new StartupError(`cannot connect to PostgreSQL at ${describeDatabaseUrl(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const { pending } = await migrationStatus(sql);
  if (pending.length > 0) {
    throw new StartupError(
      `the database at ${describeDatabaseUrl(url)} lacks ${pending.length} migration(s) of this version ` +
        `(${pending.join(", ")}): apply them first (compose: the "migrate" service; from a checkout: pnpm db:migrate)`,
    );
  }
}
