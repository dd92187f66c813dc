import { testProjects } from "@docent/config/vitest";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    env: { NODE_ENV: "test" },
    projects: testProjects({ globalSetup: "../testing/src/global-setup.ts" }),
  },
});
