/**
 * Admin SPA build. `/api` and `/chat` are proxied to the API (3000) and chat (3001)
 * services with the prefix stripped, exactly as infra/nginx/admin.conf does in production,
 * so the app always calls same-origin relative URLs. The embeddable widget's bundle is
 * copied into the output as `widget.js`.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

const widgetBundle = fileURLToPath(new URL("../widget/dist/widget.js", import.meta.url));

function widgetAsset(): Plugin {
  return {
    name: "docent-widget-asset",
    generateBundle() {
      if (!existsSync(widgetBundle)) {
        this.error("apps/widget/dist/widget.js is missing: run `pnpm --filter @docent/widget build` first");
      }
      this.emitFile({ type: "asset", fileName: "widget.js", source: readFileSync(widgetBundle) });
    },
    configureServer(server) {
      server.middlewares.use("/widget.js", (_req, res) => {
        res.setHeader("content-type", "text/javascript");
        res.end(existsSync(widgetBundle) ? readFileSync(widgetBundle) : "console.warn('[docent] build the widget first')");
      });
    },
  };
}

const apiTarget = process.env.DOCENT_API_URL ?? "http://127.0.0.1:3000";
const chatTarget = process.env.DOCENT_CHAT_URL ?? "http://127.0.0.1:3001";

export default defineConfig({
  plugins: [react(), widgetAsset()],
  server: {
    proxy: {
      "/api": { target: apiTarget, rewrite: (p) => p.replace(/^\/api/, "") },
      "/chat": { target: chatTarget, rewrite: (p) => p.replace(/^\/chat/, "") },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        // zod probes for `new Function` when it builds an object schema unless jitless is set
        // (the CSP has no 'unsafe-eval'): zod and the module that sets jitless share one chunk,
        // which every chunk holding schemas imports, so the setting precedes any schema.
        manualChunks: (id) => (/[\\/]node_modules[\\/]zod[\\/]|[\\/]src[\\/]app[\\/]zod-jitless\.ts$/.test(id) ? "zod" : undefined),
      },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "jsdom",
          include: ["src/**/*.test.{ts,tsx}"],
          setupFiles: ["src/test/setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          environment: "node",
          include: ["e2e/**/*.e2e.test.ts", "e2e/**/*.int.test.ts"],
          globalSetup: ["../../packages/testing/src/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
