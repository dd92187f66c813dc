/**
 * Neighbouring context on real Postgres: the answer step widens a retrieved chunk with its
 * neighbours or its section (one query), within the token budget, and the citation still
 * names the retrieved chunk. A responder that records its sources shows what the model read.
 */
import { ensureCatalog } from "@docent/db/catalog";
import * as s from "@docent/db/schema";
import { createLocalEmbedder } from "@docent/embeddings";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, createTestApiKey } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";
import type { GenerationRequest } from "../llm/types";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const embedder = createLocalEmbedder();
const seen: GenerationRequest["sources"][] = [];
const app = await buildTestApp(db, redis, {}, {
  responderFor: async () => ({
    provider: "openai_compatible",
    model: "recorder",
    extractive: false,
    async generate(request, onToken) {
      seen.push(request.sources);
      onToken("Follow the steps [1].");
      return { text: "Follow the steps [1].", inputTokens: 1, outputTokens: 1 };
    },
  }),
});
afterAll(() => app.close());
beforeEach(() => {
  seen.length = 0;
  return redis.flush();
});

const { workspace, bot } = await createWorkspaceWithBot(db.db, { ragConfig: { retrievalMode: "keyword", topK: 1 } });
const reset = ["Troubleshooting", "Factory reset"];
const { chunkIds } = await addDocument(db.db, embedder, bot, "manual.md", [
  { text: "Welcome to the X200 manual.", headingPath: ["Introduction"] },
  { text: "Step 1: unplug the X200 and wait thirty seconds.", headingPath: reset },
  { text: "Step 2: hold the recessed pinhole button while plugging the power back in.", headingPath: reset },
  { text: "Step 3: release it when the light turns amber.", headingPath: reset },
  { text: "Step 4: wait two minutes for the restart.", headingPath: reset },
  { text: "Warranty: three years on hardware defects.", headingPath: ["Warranty"] },
]);
const key = await createTestApiKey(db.db, workspace.id);

async function ask(context: { neighbours: number; sameSection: boolean; maxTokens: number }) {
  await db.db.update(s.bots).set({ ragConfig: { ...bot.ragConfig, context }, modelSettings: { ...bot.modelSettings, strict: false } }).where(eq(s.bots.id, bot.id));
  const res = await app.inject({
    method: "POST",
    url: `/v1/bots/${bot.id}/chat`,
    headers: { authorization: `Bearer ${key}` },
    payload: { message: "Which pinhole button do I hold while plugging in the power?" },
  });
  expect(res.statusCode, res.body).toBe(200);
  return { read: seen.at(-1)![0]!.content, citation: res.json<{ citations: { chunkId: string; quote: string }[] }>().citations[0]! };
}

describe("neighbouring context", () => {
  it("reads the retrieved chunk alone by default", async () => {
    const { read, citation } = await ask({ neighbours: 0, sameSection: false, maxTokens: 1500 });
    expect(read).toBe("Step 2: hold the recessed pinhole button while plugging the power back in.");
    expect(citation.chunkId).toBe(chunkIds[2]);
  });

  it("adds the chunks either side, in order, and cites the retrieved chunk", async () => {
    const { read, citation } = await ask({ neighbours: 1, sameSection: false, maxTokens: 1500 });
    expect(read).toBe(
      "Step 1: unplug the X200 and wait thirty seconds.\nStep 2: hold the recessed pinhole button while plugging the power back in.\nStep 3: release it when the light turns amber.",
    );
    expect(citation.chunkId).toBe(chunkIds[2]);
    expect(citation.quote).toBe("Step 2: hold the recessed pinhole button while plugging the power back in.");
  });

  it("adds the whole section, not the next one, with the same heading path", async () => {
    const { read } = await ask({ neighbours: 0, sameSection: true, maxTokens: 1500 });
    expect(read.split("\n")).toEqual([
      "Step 1: unplug the X200 and wait thirty seconds.",
      "Step 2: hold the recessed pinhole button while plugging the power back in.",
      "Step 3: release it when the light turns amber.",
      "Step 4: wait two minutes for the restart.",
    ]);
  });

  it("stops at the token budget (nearest first, the following step before the preceding one)", async () => {
    const { read } = await ask({ neighbours: 2, sameSection: false, maxTokens: 12 });
    expect(read).toBe("Step 2: hold the recessed pinhole button while plugging the power back in.\nStep 3: release it when the light turns amber.");
  });
});
