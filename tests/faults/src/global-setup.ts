/**
 * vitest globalSetup of the fault suite: starts its own PostgreSQL cluster and Redis
 * (ports FAULTS_PG_PORT, default 55433, and FAULTS_REDIS_PORT, default 56380), builds the
 * migrated template database there, and provides the same context keys as
 * @docent/testing's setup, so `useTestDatabase()` and `useTestRedis()` work unchanged,
 * plus `ownServices` for the files to stop and restart them. Both are removed at the end.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureTemplateDatabase } from "@docent/testing/db";
import type {} from "@docent/testing/global-setup";
import type { TestProject } from "vitest/node";
import { createOwnServices, databaseUrlOf, destroyOwnServices, redisUrlOf, type OwnServicesInfo } from "./own-services";

declare module "vitest" {
  export interface ProvidedContext {
    ownServices: OwnServicesInfo;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "docent-faults-"));
  const info = await createOwnServices({
    pgPort: Number(process.env.FAULTS_PG_PORT ?? 55433),
    redisPort: Number(process.env.FAULTS_REDIS_PORT ?? 56380),
    dir,
  });
  try {
    const databaseUrl = databaseUrlOf(info);
    project.provide("databaseUrl", databaseUrl);
    project.provide("redisUrl", redisUrlOf(info));
    project.provide("templateDatabase", await ensureTemplateDatabase(databaseUrl));
    project.provide("ownServices", info);
  } catch (error) {
    await destroyOwnServices(info);
    throw error;
  }
  return async () => {
    await destroyOwnServices(info);
    rmSync(dir, { recursive: true, force: true });
  };
}
