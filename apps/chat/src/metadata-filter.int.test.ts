/**
 * Metadata filters on every channel that asks a bot, over a real listening server: the
 * search API and chat (API key), the OpenAI-compatible endpoint driven by the official
 * `openai` SDK passing the filter as an extra body field, and the widget, whose fixed
 * filter (set by an admin) applies to every visitor: a page's own filter is ANDed with it,
 * so it can narrow but never widen or replace it. Bad filters are 400s naming the problem.
 */
import type { AddressInfo } from "node:net";
import { addOrigin } from "@docent/db/queries/origins";
import { updateWidgetConfig } from "@docent/db/queries/widget";
import { createLocalEmbedder } from "@docent/embeddings/local";
import * as factories from "@docent/testing/factories";
import OpenAI from "openai";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, createTestApiKey, useChatTestServices } from "../test-support/app";
import { createWorkspaceWithBot } from "../test-support/fixtures";

const { db, redis } = await useChatTestServices();
const embedder = createLocalEmbedder();
const app = await buildTestApp(db, redis);
await app.listen({ host: "127.0.0.1", port: 0 });
const baseURL = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1`;
afterAll(() => app.close());
beforeEach(() => redis.flush());

const { workspace, bot } = await createWorkspaceWithBot(db.db, { name: "Returns desk" });
const add = (name: string, region: string, text: string) =>
  factories.addDocument(db.db, bot, { name, metadata: { region, tags: ["returns"] }, chunks: [text], embedder });
const { document: eu } = await add("returns-eu.md", "eu", "Returns are free within thirty days of delivery in Europe.");
const { document: us } = await add("returns-us.md", "us", "Returns are free within sixty days of delivery in the United States.");
await addOrigin(db.db, { botId: bot.id, origin: "https://shop.example" });
const key = await createTestApiKey(db.db, workspace.id);
const auth = { authorization: `Bearer ${key}` };
const onlyUs = { eq: { key: "region", value: "us" } };

const post = (url: string, payload: object, headers: Record<string, string> = auth) =>
  app.inject({ method: "POST", url, headers, payload });

describe("search API and chat", () => {
  it("retrieve returns only chunks of matching documents", async () => {
    const all = await post(`/v1/bots/${bot.id}/retrieve`, { query: "Are returns free?", mode: "hybrid" });
    expect(new Set(all.json().chunks.map((c: { documentId: string }) => c.documentId))).toEqual(new Set([eu.id, us.id]));
    for (const mode of ["vector", "keyword", "hybrid"]) {
      const res = await post(`/v1/bots/${bot.id}/retrieve`, { query: "Are returns free?", mode, filter: onlyUs });
      expect(res.statusCode).toBe(200);
      expect(res.json().chunks.map((c: { documentId: string }) => c.documentId)).toEqual([us.id]);
    }
  });

  it("chat answers only from matching documents", async () => {
    const res = await post(`/v1/bots/${bot.id}/chat`, { message: "How many days are returns free?", filter: { in: { key: "region", values: ["eu"] } } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.answer).toContain("thirty days");
    expect(body.answer).not.toContain("sixty");
    expect(body.citations.map((c: { documentId: string }) => c.documentId)).toEqual([eu.id]);
  });

  it.each([
    ["an unknown operator", { like: { key: "region", value: "u%" } }, /body\.filter\.like: unknown field/],
    ["a bad key", { eq: { key: "Region", value: "us" } }, /body\.filter\.eq\.key: a metadata key/],
    ["two operators in one node", { eq: { key: "a", value: 1 }, range: { key: "a", lt: 2 } }, /body\.filter: a filter has exactly one operator/],
    ["too deep a filter", { and: [{ and: [{ and: [{ and: [{ and: [onlyUs] }] }] }] }] }, /body\.filter: filter nests 6 levels deep; the limit is 5/],
  ])("refuses %s with a 400 naming it, on retrieve and chat", async (_, filter, message) => {
    for (const [path, body] of [["retrieve", { query: "returns" }], ["chat", { message: "returns?" }]] as const) {
      const res = await post(`/v1/bots/${bot.id}/${path}`, { ...body, filter });
      expect(res.statusCode, path).toBe(400);
      expect(res.json()).toMatchObject({ statusCode: 400, error: "VALIDATION_FAILED" });
      expect(res.json().message, path).toMatch(message);
    }
  });
});

describe("OpenAI-compatible API with the official openai SDK", () => {
  const client = new OpenAI({ baseURL, apiKey: key, maxRetries: 0 });
  // Docent's own body field: the SDK sends parameters its types do not know as they are
  // (Python's SDK: extra_body={"filter": ...}).
  type WithFilter<T> = T & { filter: unknown };

  it("passes the filter as an extra body field, streamed and not", async () => {
    const body: WithFilter<OpenAI.ChatCompletionCreateParamsNonStreaming> = {
      model: bot.id,
      messages: [{ role: "user", content: "How many days are returns free?" }],
      filter: onlyUs,
    };
    const completion = await client.chat.completions.create(body);
    const content = completion.choices[0]!.message.content!;
    expect(content).toContain("sixty days");
    expect(content).not.toContain("thirty");
    const citations = (completion as unknown as { citations: { documentId: string }[] }).citations;
    expect(citations.map((c) => c.documentId)).toEqual([us.id]);

    const streamed: WithFilter<OpenAI.ChatCompletionCreateParamsStreaming> = {
      model: bot.publicId,
      messages: [{ role: "user", content: "How many days are returns free?" }],
      stream: true,
      filter: { eq: { key: "region", value: "eu" } },
    };
    const stream = await client.chat.completions.create(streamed);
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toContain("thirty days");
    expect(text).not.toContain("sixty");
  });

  it("answers a bad filter with OpenAI's 400 error naming the problem", async () => {
    const bad: WithFilter<OpenAI.ChatCompletionCreateParamsNonStreaming> = {
      model: bot.id,
      messages: [{ role: "user", content: "returns?" }],
      filter: { range: { key: "region" } },
    };
    await expect(client.chat.completions.create(bad)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/body\.filter\.range: range needs at least one of gte, gt, lte, lt/) });
  });
});

describe("widget fixed filter", () => {
  const widgetChat = (payload: object) =>
    app.inject({ method: "POST", url: `/v1/widget/${bot.publicId}/chat`, headers: { origin: "https://shop.example" }, payload: { stream: false, ...payload } });

  it("applies the bot's fixed filter to every visitor and keeps it private", async () => {
    await updateWidgetConfig(db.db, bot.id, { metadataFilter: { and: [{ eq: { key: "region", value: "eu" } }, { eq: { key: "tags", value: "returns" } }] } });
    const res = await widgetChat({ message: "How many days are returns free?" });
    expect(res.statusCode).toBe(200);
    expect(res.json().answer).toContain("thirty days");
    expect(res.json().citations.map((c: { documentId: string }) => c.documentId)).toEqual([eu.id]);
    const config = await app.inject({ method: "GET", url: `/v1/widget/${bot.publicId}/config`, headers: { origin: "https://shop.example" } });
    expect(config.json()).not.toHaveProperty("metadataFilter");

    // Asking about the other region still answers from the filtered documents only.
    const other = await widgetChat({ message: "How many days are returns free in the United States?" });
    expect(other.json().citations.map((c: { documentId: string }) => c.documentId)).not.toContain(us.id);
  });

  it("ANDs a page's own filter with the bot's: it narrows, never widens or replaces", async () => {
    await updateWidgetConfig(db.db, bot.id, { metadataFilter: { eq: { key: "region", value: "eu" } } });
    // Asking for the other region: nothing matches both, so nothing from the US is used.
    const widen = await widgetChat({ message: "How many days are returns free?", filter: { or: [onlyUs, { eq: { key: "region", value: "eu" } }] } });
    expect(widen.statusCode).toBe(200);
    expect(widen.json().citations.map((c: { documentId: string }) => c.documentId)).toEqual([eu.id]);
    const replace = await widgetChat({ message: "How many days are returns free?", filter: onlyUs });
    expect(replace.statusCode).toBe(200);
    expect(replace.json().citations).toEqual([]);
    expect(replace.json().answer).not.toContain("sixty");
    const bad = await widgetChat({ message: "returns?", filter: { eq: { key: "region" } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/body\.filter\.eq\.value/);
  });

  it("answers from every document once the filter is removed", async () => {
    await updateWidgetConfig(db.db, bot.id, { metadataFilter: null });
    const res = await widgetChat({ message: "How many days are returns free in the United States?" });
    expect(res.json().citations.map((c: { documentId: string }) => c.documentId)).toContain(us.id);
  });
});
