/**
 * Documents through the API as the admin app and integrators use them: multipart upload
 * to the FS storage driver and the BullMQ queue, list/get/download/delete, the error
 * format for bad files, plan limits, CSRF and tenant isolation.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { botDocuments } from "@docent/db/schema";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { multipart } from "./testing/documents";
import { createTestApi, errorBody, keyClient, signUp, type Client } from "./testing/harness";

const api = await createTestApi();
const { app, db, queue, storageDir } = api;

const MANUAL = "# Zephyr 9 manual\n\n## Warranty\n\nThe motor has a seven year warranty.\n";
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

function upload(
  botId: string,
  fileName: string,
  content: Buffer | string,
  auth: { client?: Client; key?: string; csrf?: boolean } = {},
) {
  const body = multipart(fileName, content);
  const headers: Record<string, string> = { "content-type": body.contentType };
  if (auth.client) {
    headers.cookie = auth.client.cookie;
    if (auth.csrf !== false) headers["x-csrf-token"] = auth.client.csrfToken;
  }
  if (auth.key) headers.authorization = `Bearer ${auth.key}`;
  return app.inject({ method: "POST", url: `/v1/bots/${botId}/documents`, headers, payload: body.payload });
}

const storedFiles = (): string[] => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return walk(storageDir);
};

async function tenant(label: string) {
  const client = await signUp(app, label);
  const bot = (await client.request("POST", `/v1/workspaces/${client.workspaceId}/bots`, { name: `${label} bot` })).json();
  return { client, botId: bot.id as string, ws: `/v1/workspaces/${client.workspaceId}` };
}

const owner = await tenant("docs-owner");
const other = await tenant("docs-other");

describe("documents API", () => {
  let documentId = "";

  it("uploads a markdown file: 201 with a PENDING document and one queued ingest job", async () => {
    const res = await upload(owner.botId, "zephyr-manual.md", MANUAL, { client: owner.client });
    expect(res.statusCode, res.body).toBe(201);
    const doc = res.json();
    expect(doc).toMatchObject({
      botId: owner.botId,
      name: "zephyr-manual.md",
      sourceType: "FILE_UPLOAD",
      status: "PENDING",
      sizeBytes: Buffer.byteLength(MANUAL),
      version: 1,
      chunkCount: 0,
    });
    documentId = doc.id;
    const job = await queue.getJob(`${doc.id}-v1`);
    expect(job?.data).toMatchObject({ documentId: doc.id, botId: owner.botId, workspaceId: owner.client.workspaceId, version: 1 });
    expect(storedFiles()).toHaveLength(1);
  });

  it("lists and gets the document, and counts it in the bot list", async () => {
    const list = await owner.client.request("GET", `/v1/bots/${owner.botId}/documents`);
    expect(list.statusCode).toBe(200);
    expect(list.json().documents.map((d: { id: string }) => d.id)).toEqual([documentId]);
    const one = await owner.client.request("GET", `/v1/bots/${owner.botId}/documents/${documentId}`);
    expect(one.json()).toMatchObject({ id: documentId, status: "PENDING" });

    // As if the worker had finished: the bot list shows documents and chunks.
    await db.update(botDocuments).set({ status: "PROCESSED", chunkCount: 7 }).where(eq(botDocuments.id, documentId));
    const bots = (await owner.client.request("GET", `${owner.ws}/bots`)).json().items;
    expect(bots).toEqual([expect.objectContaining({ id: owner.botId, documentCount: 1, chunkCount: 7 })]);
    const empty = (await other.client.request("GET", `${other.ws}/bots`)).json().items;
    expect(empty).toEqual([expect.objectContaining({ documentCount: 0, chunkCount: 0 })]);
  });

  it("downloads the original as an attachment that browsers will not sniff", async () => {
    const res = await owner.client.request("GET", `/v1/bots/${owner.botId}/documents/${documentId}/download`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(MANUAL);
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="zephyr-manual\.md"/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("works with an API key holding documents:write, and refuses bots:read-only keys on mutations", async () => {
    const writer = (
      await owner.client.request("POST", `${owner.ws}/api-keys`, { name: "ingest", scopes: ["bots:read", "documents:write"] })
    ).json().secret;
    const reader = (await owner.client.request("POST", `${owner.ws}/api-keys`, { name: "read", scopes: ["bots:read"] })).json().secret;
    const added = await upload(owner.botId, "notes.txt", "Plain notes about the blender.", { key: writer });
    expect(added.statusCode, added.body).toBe(201);
    const refused = await upload(owner.botId, "notes.txt", "Plain notes.", { key: reader });
    expect(refused.statusCode).toBe(403);
    expect(errorBody(refused).message).toContain("documents:write");
    const listed = await keyClient(app, reader)("GET", `/v1/bots/${owner.botId}/documents`);
    expect(listed.json().documents).toHaveLength(2);
    const removed = await keyClient(app, writer)("DELETE", `/v1/bots/${owner.botId}/documents/${added.json().id}`);
    expect(removed.statusCode).toBe(204);
  });

  it("refuses a cookie upload without the CSRF header", async () => {
    const res = await upload(owner.botId, "csrf.md", MANUAL, { client: owner.client, csrf: false });
    expect(res.statusCode).toBe(403);
    expect(errorBody(res).error).toBe("CSRF_FAILED");
  });

  it("refuses a PNG with 415 in the error format and stores nothing", async () => {
    const before = storedFiles().length;
    const res = await upload(owner.botId, "photo.md", PNG, { client: owner.client });
    expect(res.statusCode).toBe(415);
    const body = errorBody(res);
    expect(body.error).toBe("UNSUPPORTED_FILE");
    expect(body.message.length).toBeGreaterThan(10);
    expect(storedFiles()).toHaveLength(before);
  });

  it("accepts files larger than the JSON body limit (uploads are streamed)", async () => {
    const res = await upload(owner.botId, "long.txt", Buffer.alloc(3 * 1024 * 1024, "warranty terms\n"), { client: owner.client });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().sizeBytes).toBe(3 * 1024 * 1024);
    await owner.client.request("DELETE", `/v1/bots/${owner.botId}/documents/${res.json().id}`);
  });

  it("refuses a file over the plan's size limit (Free: 10 MB) with 413 and keeps no partial object", async () => {
    const before = storedFiles().length;
    const big = Buffer.alloc(10 * 1024 * 1024 + 4096, "a\n");
    const res = await upload(owner.botId, "big.txt", big, { client: owner.client });
    expect(res.statusCode).toBe(413);
    expect(errorBody(res).error).toBe("FILE_TOO_LARGE");
    expect(storedFiles()).toHaveLength(before);
  });

  it("answers 404 for another workspace's bot and document, to sessions and keys alike", async () => {
    const key = (await owner.client.request("POST", `${owner.ws}/api-keys`, { name: "all", scopes: ["bots:read", "documents:write"] })).json()
      .secret;
    const theirs = await upload(other.botId, "intruder.md", MANUAL, { client: owner.client });
    expect(theirs.statusCode).toBe(404);
    expect(errorBody(theirs).error).toBe("NOT_FOUND");
    expect((await upload(other.botId, "intruder.md", MANUAL, { key })).statusCode).toBe(404);
    expect((await owner.client.request("GET", `/v1/bots/${other.botId}/documents`)).statusCode).toBe(404);
    // Their bot with our document id, and our bot with theirs, are not found either.
    const mine = `/v1/bots/${owner.botId}/documents/${documentId}`;
    expect((await other.client.request("GET", mine)).statusCode).toBe(404);
    expect((await other.client.request("GET", `${mine}/download`)).statusCode).toBe(404);
    expect((await other.client.request("DELETE", mine)).statusCode).toBe(404);
    expect((await other.client.request("GET", `/v1/bots/${other.botId}/documents/${documentId}`)).statusCode).toBe(404);
    expect(storedFiles()).toHaveLength(1);
  });

  it("deletes the document: the row and the stored object are gone", async () => {
    const res = await owner.client.request("DELETE", `/v1/bots/${owner.botId}/documents/${documentId}`);
    expect(res.statusCode).toBe(204);
    expect((await owner.client.request("GET", `/v1/bots/${owner.botId}/documents/${documentId}`)).statusCode).toBe(404);
    expect(await db.select().from(botDocuments).where(eq(botDocuments.id, documentId))).toEqual([]);
    expect(storedFiles()).toEqual([]);
    expect(await queue.getJob(`${documentId}-v1`)).toBeUndefined();
  });
});
