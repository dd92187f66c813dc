/**
 * The two vitest projects of every package: `unit` runs `*.test.ts` and needs no
 * services; `integration` runs `*.int.test.ts` against real PostgreSQL and Redis, which
 * the global setup resolves (see @docent/db/testing). `pnpm test` runs both,
 * `pnpm test:unit` only the first, `pnpm test:int` only the second.
 */
import type { TestProjectInlineConfiguration } from "vitest/config";

export interface TestProjectsOptions {
  /** The global setup that provides the databases (integration project only). */
  globalSetup?: string;
  /** Per-project overrides, e.g. a longer timeout for tests that spawn processes. */
  unit?: TestProjectInlineConfiguration["test"];
  integration?: TestProjectInlineConfiguration["test"];
}

export function testProjects(options: TestProjectsOptions = {}): TestProjectInlineConfiguration[] {
  return [
    {
      extends: true,
      test: {
        name: "unit",
        include: ["src/**/*.test.ts"],
        exclude: ["src/**/*.int.test.ts"],
        ...options.unit,
      },
    },
    {
      extends: true,
      test: {
        name: "integration",
        include: ["src/**/*.int.test.ts"],
        globalSetup: options.globalSetup ? [options.globalSetup] : [],
        ...options.integration,
      },
    },
  ];
}
