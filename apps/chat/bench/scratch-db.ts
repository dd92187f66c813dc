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
