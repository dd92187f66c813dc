/**
 * The admin app's API types (apps/admin/src/api/generated/{api,chat}.d.ts) are generated
 * with openapi-typescript from the OpenAPI documents the api and chat services serve: this
 * suite builds both apps in-process, as their own openapi tests do, reads /openapi.json
 * from each, and fails if the committed files differ from what the documents give now, so
 * they cannot go stale. `pnpm --filter @docent/admin generate:api` (UPDATE_API_TYPES=1)
 * writes them instead.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildTestApp } from "@docent/chat/test-support/app";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, it } from "vitest";
import { createTestApi } from "../../../apps/api/src/testing/harness";
import { renderTypes } from "./render";

const GENERATED = resolve(import.meta.dirname, "../../../apps/admin/src/api/generated");
const update = process.env.UPDATE_API_TYPES === "1";

const { app: api } = await createTestApi();
const chat = await buildTestApp(await useTestDatabase(), useTestRedis(), { PUBLIC_CHAT_URL: "https://docent.example.com/chat" });
afterAll(() => chat.close());

const documents = {
  "api.d.ts": (await api.inject({ method: "GET", url: "/openapi.json" })).json() as object,
  "chat.d.ts": (await chat.inject({ method: "GET", url: "/openapi.json" })).json() as object,
};

describe("apps/admin/src/api/generated", () => {
  const out = update ? GENERATED : mkdtempSync(join(tmpdir(), "docent-api-types-"));
  afterAll(() => {
    if (!update) rmSync(out, { recursive: true, force: true });
  });

  for (const [file, doc] of Object.entries(documents)) {
    it(`${file} is what openapi-typescript makes of the service's /openapi.json`, async () => {
      const text = await renderTypes(doc);
      writeFileSync(join(out, file), text);
      if (update) return;
      const committed = readFileSync(join(GENERATED, file), "utf8");
      expect(committed === text, `${file} is stale: run pnpm --filter @docent/admin generate:api`).toBe(true);
    });
  }
});
