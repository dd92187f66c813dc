/**
 * Builds the widget as one self-contained IIFE file (`dist/widget.js`) that a host page
 * loads with a single <script> tag. No runtime dependencies, so the bundle stays small.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  build: {
    target: "es2020",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    lib: {
      entry: "src/index.ts",
      name: "DocentWidget",
      formats: ["iife"],
      fileName: () => "widget.js",
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});
