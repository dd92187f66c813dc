/**
 * Per-test-file databases. The migrations are applied once to a template database whose
 * name carries a hash of the migration files; every test file then gets its own
 * `CREATE DATABASE ... TEMPLATE` clone, which takes milliseconds and guarantees that
 * tests never see each other's rows.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createDb, type DbHandle } from "../client";
import { migrationsFolder, runMigrations } from "../migrate";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
// Brings the ProvidedContext keys (databaseUrl, redisUrl, templateDatabase) into scope.
import type {} from "./provided-context";

function migrationsHash(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(migrationsFolder);
  return hash.digest("hex").slice(0, 12);
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Creates `docent_tpl_<hash>` if it does not exist yet, and returns its name. */
export async function ensureTemplateDatabase(serverUrl: string): Promise<string> {
  const name = `docent_tpl_${migrationsHash()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_advisory_lock(746921002)`;
    try {
      const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
      if (!exists) {
        const building = `${name}_building`;
        await admin.unsafe(`drop database if exists ${quoteIdent(building)}`);
        await admin.unsafe(`create database ${quoteIdent(building)}`);
        await runMigrations(withDatabase(serverUrl, building));
        // Renamed only once complete, so a crash mid-migration never leaves a bad template.
        await admin.unsafe(`alter database ${quoteIdent(building)} rename to ${quoteIdent(name)}`);
      }
    } finally {
      await admin`select pg_advisory_unlock(746921002)`;
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  return name;
}

export async function cloneDatabase(serverUrl: string, template: string): Promise<string> {
  const name = `docent_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    // Two clones of one template at the same instant can collide ("source database is
    // being accessed by other users"); a short retry resolves it.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database ${quoteIdent(name)} template ${quoteIdent(template)}`);
        break;
      } catch (error) {
        if (attempt >= 20 || !String(error).includes("being accessed")) throw error;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  return withDatabase(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${quoteIdent(name)} with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export interface TestDatabase extends DbHandle {
  url: string;
}

/**
 * Call at the top level of a test file: returns a fresh, migrated database of its own,
 * dropped after the file's tests.
 */
export async function useTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject("databaseUrl");
  const url = await cloneDatabase(serverUrl, inject("templateDatabase"));
  const handle = createDb({ url, max: 5, applicationName: "docent-test" });
  afterAll(async () => {
    await handle.close();
    await dropDatabase(serverUrl, url);
  });
  return { ...handle, url };
}
