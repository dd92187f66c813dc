import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The *.int.test.ts files talk to the test PostgreSQL (DATABASE_URL or testcontainers).
    globalSetup: ["../testing/src/global-setup.ts"],
    include: ["src/**/*.test.ts"],
    env: { NODE_ENV: "test" },
  },
});
