import { testProjects } from "@docent/config/vitest";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: testProjects({ globalSetup: "./src/testing/global-setup.ts" }),
  },
});
