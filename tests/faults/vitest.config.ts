import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Starts a PostgreSQL cluster and a Redis of the suite's own (see src/global-setup.ts).
    globalSetup: ["./src/global-setup.ts"],
    include: ["src/**/*.test.ts"],
    // The files stop and restart the same services: one at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
