import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Cruising the whole repository takes a few seconds on a busy machine.
    testTimeout: 120_000,
  },
});
