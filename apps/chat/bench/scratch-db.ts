/** A throwaway, migrated database for a benchmark run (dropped afterwards unless kept). */
import { randomBytes } from "node:crypto";
import { createDb, type DbHandle } from "@docent/db/client";
import { runMigrations } from "@docent/db/migrate";
import postgres from "postgres";

export async function createScratchDatabase(serverUrl: string, label: string): Promise<DbHandle & { url: string; drop(): Promise<void> }> {
  const name = `docent_${label}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  await runMigrations(url);
  const handle = createDb({ url, max: 8, applicationName: `docent-${label}` });
  return {
    ...handle,
    url,
    async drop() {
      await handle.close();
      const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

/**
 * Bulk load as an operator would: drops the BM25 postings' primary key (migration 0017)
 * before a COPY into the chunks and returns the step that rebuilds it exactly as migrated
 * (then vacuums the postings, so their scans are index-only).
 */
export async function dropPostingsKey(sql: postgres.Sql): Promise<() => Promise<void>> {
  const [key] = await sql<{ def: string }[]>`
    select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'bot_chunk_postings_pkey'`;
  await sql`alter table bot_chunk_postings drop constraint bot_chunk_postings_pkey`;
  return async () => {
    await sql.unsafe(`alter table bot_chunk_postings add constraint bot_chunk_postings_pkey ${key!.def}`);
    await sql`vacuum analyze bot_chunk_postings`;
  };
}
