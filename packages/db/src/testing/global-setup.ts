/**
 * vitest globalSetup for suites that touch PostgreSQL or Redis: resolves the services,
 * builds (once per schema version) a migrated template database, and hands both to the
 * test files through `inject()`.
 */
import type { TestProject } from "vitest/node";
import { ensureTemplateDatabase } from "./db";
import type {} from "./provided-context";
import { resolveTestServices } from "./services";

export default async function setup(project: TestProject) {
  const services = await resolveTestServices();
  const templateDatabase = await ensureTemplateDatabase(services.databaseUrl);
  project.provide("databaseUrl", services.databaseUrl);
  project.provide("redisUrl", services.redisUrl);
  project.provide("templateDatabase", templateDatabase);
  return async () => {
    await services.stop();
  };
}
