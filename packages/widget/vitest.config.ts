import { testProjects } from "@docent/config/vitest";
import { defineConfig } from "vitest/config";

// The widget runs in a browser: its unit tests get a DOM (jsdom).
export default defineConfig({
  test: {
    projects: testProjects({ unit: { environment: "jsdom" } }),
  },
});
