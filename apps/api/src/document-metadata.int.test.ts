/**
 * Document metadata through the API: set on upload (a multipart field), with text and URL
 * sources, replaced by PATCH, returned in every document DTO; bad metadata is a 400 that
 * names the problem; another workspace's key cannot touch it. The widget's fixed filter
 * is set and validated on the widget configuration.
 */
import { describe, expect, it } from "vitest";
import { unlimitedLimits } from "./services/document-limits";
import { multipart } from "./testing/documents";
import { createTestApi, errorBody, keyClient, signUp } from "./testing/harness";

// More documents than the Free plan allows a bot.
const { app, sql } = await createTestApi({}, { documentLimits: unlimitedLimits });

async function seedBot() {
  const client = await signUp(app, "meta");
  const bot = (await client.request("POST", `/v1/workspaces/${client.workspaceId}/bots`, { name: "B" })).json() as { id: string };
  const key = (
    await client.request("POST", `/v1/workspaces/${client.workspaceId}/api-keys`, { name: "k", scopes: ["bots:read", "bots:write", "documents:write"] })
  ).json().secret as string;
  return { client, bot, key, api: keyClient(app, key) };
}

const { client, bot, key, api } = await seedBot();

const upload = (fields: Record<string, string>, secret = key) => {
  const body = multipart("guide.md", "# Guide\n\nHello world, this is the guide.", "text/markdown", fields);
  return app.inject({
    method: "POST",
    url: `/v1/bots/${bot.id}/documents`,
    headers: { "content-type": body.contentType, authorization: `Bearer ${secret}` },
    payload: body.payload,
  });
};

const stored = async (id: string) => (await sql<{ metadata: unknown }[]>`select metadata from bot_documents where id = ${id}`)[0]?.metadata;

describe("metadata on upload", () => {
  it("stores the multipart metadata field and returns it", async () => {
    const metadata = { lang: "en", version: 2, tags: ["setup", "billing"], updated_at: "2026-11-30T00:00:00Z" };
    const res = await upload({ metadata: JSON.stringify(metadata) });
    expect(res.statusCode).toBe(201);
    expect(res.json().metadata).toEqual(metadata);
    expect(await stored(res.json().id)).toEqual(metadata);
    expect((await api("GET", `/v1/bots/${bot.id}/documents/${res.json().id}`)).json().metadata).toEqual(metadata);
  });

  it("defaults to no metadata", async () => {
    const res = await upload({});
    expect(res.statusCode).toBe(201);
    expect(res.json().metadata).toEqual({});
  });

  it.each([
    ["not JSON", "{lang: en}", /metadata is not valid JSON/],
    ["a bad key", JSON.stringify({ "Lang!": "en" }), /metadata\.Lang!: "Lang!" is not a valid key/],
    ["a nested object", JSON.stringify({ lang: { code: "en" } }), /metadata\.lang/],
    ["an array of numbers", JSON.stringify({ tags: [1, 2] }), /metadata\.tags/],
    ["too many keys", JSON.stringify(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]))), /40 keys; the limit is 32/],
  ])("refuses %s with a 400 naming the problem, storing nothing", async (_, value, message) => {
    const [before] = await sql<{ n: number }[]>`select count(*)::int as n from bot_documents where bot_id = ${bot.id}`;
    const res = await upload({ metadata: value });
    expect(res.statusCode).toBe(400);
    expect(errorBody(res)).toMatchObject({ error: "VALIDATION_FAILED" });
    expect(res.json().message).toMatch(message);
    const [after] = await sql<{ n: number }[]>`select count(*)::int as n from bot_documents where bot_id = ${bot.id}`;
    expect(after!.n).toBe(before!.n);
  });
});

describe("metadata with text and URL sources", () => {
  it("takes metadata in the JSON body", async () => {
    const text = await api("POST", `/v1/bots/${bot.id}/documents/text`, { name: "Note", text: "Hello", metadata: { source: "manual", n: 1.5 } });
    expect(text.statusCode).toBe(201);
    expect(text.json().metadata).toEqual({ source: "manual", n: 1.5 });
    const url = await api("POST", `/v1/bots/${bot.id}/documents/url`, { url: "https://example.com/a", metadata: { path: "/a" } });
    expect(url.statusCode).toBe(201);
    expect(await stored(url.json().id)).toEqual({ path: "/a" });
  });

  it("refuses bad metadata in the JSON body with the field's path", async () => {
    const res = await api("POST", `/v1/bots/${bot.id}/documents/text`, { name: "Note", text: "Hello", metadata: { lang: true } });
    expect(res.statusCode).toBe(400);
    expect(errorBody(res).details?.issues?.map((i) => i.path)).toContain("body.metadata.lang");
  });
});

describe("PATCH /bots/:botId/documents/:documentId", () => {
  it("replaces the metadata, and {} clears it", async () => {
    const doc = (await api("POST", `/v1/bots/${bot.id}/documents/text`, { name: "P", text: "Hi", metadata: { lang: "en", old: 1 } })).json();
    const res = await api("PATCH", `/v1/bots/${bot.id}/documents/${doc.id}`, { metadata: { lang: "fr", tags: ["x"] } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: doc.id, metadata: { lang: "fr", tags: ["x"] } });
    expect(await stored(doc.id)).toEqual({ lang: "fr", tags: ["x"] });
    const listed = (await api("GET", `/v1/bots/${bot.id}/documents`)).json().documents.find((d: { id: string }) => d.id === doc.id);
    expect(listed.metadata).toEqual({ lang: "fr", tags: ["x"] });
    expect((await api("PATCH", `/v1/bots/${bot.id}/documents/${doc.id}`, { metadata: {} })).json().metadata).toEqual({});
  });

  it("refuses bad metadata and unknown fields with a 400", async () => {
    const doc = (await api("POST", `/v1/bots/${bot.id}/documents/text`, { name: "Q", text: "Hi" })).json();
    const bad = await api("PATCH", `/v1/bots/${bot.id}/documents/${doc.id}`, { metadata: { n: "x".repeat(1001) } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/body\.metadata\.n/);
    const unknown = await api("PATCH", `/v1/bots/${bot.id}/documents/${doc.id}`, { metadata: {}, name: "x" });
    expect(unknown.statusCode).toBe(400);
    expect(await stored(doc.id)).toEqual({});
  });

  it("answers 404 to another workspace's key, and changes nothing", async () => {
    const doc = (await api("POST", `/v1/bots/${bot.id}/documents/text`, { name: "R", text: "Hi", metadata: { lang: "en" } })).json();
    const stranger = await seedBot();
    const res = await stranger.api("PATCH", `/v1/bots/${bot.id}/documents/${doc.id}`, { metadata: { lang: "xx" } });
    expect(res.statusCode).toBe(404);
    const viaOwnBot = await stranger.api("PATCH", `/v1/bots/${stranger.bot.id}/documents/${doc.id}`, { metadata: { lang: "xx" } });
    expect(viaOwnBot.statusCode).toBe(404);
    expect(await stored(doc.id)).toEqual({ lang: "en" });
  });
});

describe("the widget's fixed filter", () => {
  const path = () => `/v1/workspaces/${client.workspaceId}/bots/${bot.id}/widget`;

  it("is set, returned and removed on the widget configuration", async () => {
    const filter = { and: [{ eq: { key: "lang", value: "en" } }, { range: { key: "version", gte: 2 } }] };
    const res = await client.request("PATCH", path(), { metadataFilter: filter });
    expect(res.statusCode).toBe(200);
    expect(res.json().metadataFilter).toEqual(filter);
    expect((await client.request("GET", path())).json().metadataFilter).toEqual(filter);
    expect((await client.request("PATCH", path(), { metadataFilter: null })).json().metadataFilter).toBeNull();
  });

  it("refuses a bad filter with a 400 naming the problem", async () => {
    const res = await client.request("PATCH", path(), { metadataFilter: { range: { key: "version", gte: 1, lt: "z" } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/body\.metadataFilter\.range: range bounds must be all numbers or all strings/);
  });
});
