/**
 * The documents routes through the API, backed by real Postgres, Redis (BullMQ) and the
 * filesystem storage driver, with an API key as an integrator uses them: uploads and what
 * they refuse, text and URL sources, list/get/download, re-index and delete, the live
 * status stream. Plan limits are swapped per test (ApiDeps.documentLimits).
 */
import { readdirSync } from "node:fs";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { announceSourceStatus, publishDocumentStatus, type DocumentStatusEvent } from "@docent/queue/status";
import { beforeEach, describe, expect, it } from "vitest";
import { attachmentDisposition } from "./routes/documents";
import { createPlanLimits, unlimitedLimits, type DocumentLimits } from "./services/document-limits";
import { eventsAfterSnapshot } from "./services/document-status-hub";
import { multipart } from "./testing/documents";
import { createTestApi, errorBody, keyClient, signUp } from "./testing/harness";

let limits: DocumentLimits = unlimitedLimits;
const { app, sql, queue, storageDir, redis } = await createTestApi(
  {},
  {
    documentLimits: {
      maxFileBytes: (db, ws) => limits.maxFileBytes(db, ws),
      assertCanAddDocument: (db, input) => limits.assertCanAddDocument(db, input),
      assertCanProcess: (db, ws, n) => limits.assertCanProcess(db, ws, n),
    },
  },
);

/** A fresh workspace with one bot, and an API key that may read and write its documents. */
async function seedBot() {
  const client = await signUp(app, "docs");
  const bot = (await client.request("POST", `/v1/workspaces/${client.workspaceId}/bots`, { name: "B" })).json();
  const key = (
    await client.request("POST", `/v1/workspaces/${client.workspaceId}/api-keys`, { name: "k", scopes: ["bots:read", "documents:write"] })
  ).json().secret as string;
  return { bot: bot as { id: string }, workspaceId: client.workspaceId, key, api: keyClient(app, key) };
}

const { bot, workspaceId, key, api } = await seedBot();

const upload = (botId: string, fileName: string, content: Buffer | string, contentType?: string, secret = key) => {
  const body = multipart(fileName, content, contentType);
  return app.inject({
    method: "POST",
    url: `/v1/bots/${botId}/documents`,
    headers: { "content-type": body.contentType, authorization: `Bearer ${secret}` },
    payload: body.payload,
  });
};

const storedFiles = () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return walk(storageDir);
};

beforeEach(() => {
  limits = unlimitedLimits;
});

describe("POST /bots/:botId/documents (upload)", () => {
  it("stores the file under a server-made key, creates a PENDING row and enqueues one job", async () => {
    const res = await upload(bot.id, "../../etc/Guide.md", "# Guide\n\nHello world, this is the guide.", "image/png");
    expect(res.statusCode).toBe(201);
    const doc = res.json();
    expect(doc).toMatchObject({ name: "Guide.md", status: "PENDING", stage: "queued", version: 1, mimeType: "text/markdown" });
    expect(doc.sizeBytes).toBe(40);
    expect(doc.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const [row] = await sql<{ key: string }[]>`select storage_key as key from bot_documents where id = ${doc.id}`;
    expect(row!.key).toMatch(new RegExp(`^workspaces/${workspaceId}/bots/${bot.id}/documents/${doc.id}/[0-9a-f-]{36}$`));
    expect(row!.key).not.toContain("Guide");
    const job = await queue.getJob(`${doc.id}-v1`);
    // The request's id rides along, for the worker's log lines.
    expect(job?.data).toEqual({ documentId: doc.id, botId: bot.id, workspaceId, version: 1, requestId: res.headers["x-request-id"] });
  });

  it.each([
    ["a PNG image", "photo.pdf", Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), 415, "UNSUPPORTED_FILE"],
    ["an empty file", "empty.txt", Buffer.alloc(0), 422, "EMPTY_FILE"],
    ["a truncated PDF", "cut.pdf", Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), 422, "CORRUPT_FILE"],
    ["a ZIP archive", "notes.docx", Buffer.from("504b03040a0000000000", "hex"), 415, "UNSUPPORTED_FILE"],
  ])("refuses %s with a 4xx naming the problem and stores nothing", async (_what, name, bytes, status, code) => {
    const before = storedFiles().length;
    const res = await upload(bot.id, name, bytes);
    expect(res.statusCode).toBe(status);
    expect(errorBody(res)).toMatchObject({ statusCode: status, error: code });
    expect(res.json().message.length).toBeGreaterThan(10);
    expect(storedFiles().length).toBe(before);
  });

  it("refuses a file over the plan's size limit with 413 and keeps no partial object", async () => {
    limits = { ...unlimitedLimits, maxFileBytes: async () => ({ bytes: 100_000 }) };
    const before = storedFiles().length;
    const res = await upload(bot.id, "big.txt", "All work and no play. ".repeat(10_000));
    expect(res.statusCode).toBe(413);
    expect(errorBody(res)).toMatchObject({ error: "FILE_TOO_LARGE" });
    expect(storedFiles().length).toBe(before);
  });

  it("enforces documents per bot from the workspace's plan", async () => {
    const small = await seedBot();
    await sql`insert into plans (code, name, max_documents_per_bot) values ('free', 'Free', 1)
              on conflict (code) do update set max_documents_per_bot = 1`;
    limits = createPlanLimits();
    expect((await upload(small.bot.id, "one.txt", "First document text.", undefined, small.key)).statusCode).toBe(201);
    const second = await upload(small.bot.id, "two.txt", "Second document text.", undefined, small.key);
    expect(second.statusCode).toBe(402);
    expect(errorBody(second)).toMatchObject({ error: "QUOTA_EXCEEDED", details: { limit: "documentsPerBot", max: 1 } });
    expect(second.json().message).toBe("Limit reached: 1 document per bot on the Free plan.");
  });

  it("refuses a request that is not multipart", async () => {
    const res = await api("POST", `/v1/bots/${bot.id}/documents`, { a: 1 });
    expect(res.statusCode).toBe(415);
  });

  it("refuses a bot the caller cannot see, and an invalid bot id", async () => {
    expect((await upload(randomUUID(), "a.txt", "text")).statusCode).toBe(404);
    const bad = await api("GET", `/v1/bots/not-a-uuid/documents`);
    expect(bad.statusCode).toBe(400);
    expect(errorBody(bad).error).toBe("VALIDATION_FAILED");
  });
});

describe("text and URL sources", () => {
  it("adds pasted text as a MANUAL_TEXT document", async () => {
    const res = await api("POST", `/v1/bots/${bot.id}/documents/text`, { name: "FAQ", text: "Opening hours are nine to five." });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ sourceType: "MANUAL_TEXT", name: "FAQ", status: "PENDING" });
  });

  it("adds a URL, and refuses non-http schemes with 400", async () => {
    const ok = await api("POST", `/v1/bots/${bot.id}/documents/url`, { url: "https://example.com/help" });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ sourceType: "URL", sourceUrl: "https://example.com/help", name: "example.com/help" });
    const bad = await api("POST", `/v1/bots/${bot.id}/documents/url`, { url: "file:///etc/passwd" });
    expect(bad.statusCode).toBe(400);
    expect(errorBody(bad).error).toBe("UNSAFE_URL");
  });
});

describe("list, get, download", () => {
  it("lists documents with status, progress and chunk count, and gets one", async () => {
    const created = (await upload(bot.id, "list-me.txt", "Listing test text.")).json();
    const list = await api("GET", `/v1/bots/${bot.id}/documents?status=PENDING`);
    expect(list.statusCode).toBe(200);
    const found = list.json().documents.find((d: { id: string }) => d.id === created.id);
    expect(found).toMatchObject({ status: "PENDING", progress: 0, chunkCount: 0, errorMessage: null });
    const one = await api("GET", `/v1/bots/${bot.id}/documents/${created.id}`);
    expect(one.json().id).toBe(created.id);
  });

  it("hides another bot's document behind 404", async () => {
    const created = (await upload(bot.id, "mine.txt", "Private text.")).json();
    const other = await seedBot();
    const res = await other.api("GET", `/v1/bots/${other.bot.id}/documents/${created.id}`);
    expect(res.statusCode).toBe(404);
  });

  it("downloads the original as an attachment with nosniff", async () => {
    const html = "<html><body><script>alert(1)</script><p>Stored page text here.</p></body></html>";
    const created = (await upload(bot.id, "päge x.html", html)).json();
    const res = await api("GET", `/v1/bots/${bot.id}/documents/${created.id}/download`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(html);
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="p_ge x.html"; filename\*=UTF-8''p%C3%A4ge%20x.html$/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-type"]).toContain("text/html");
  });
});

describe("re-index and delete", () => {
  it("a double click on re-index makes one job; a re-index after processing makes a new version", async () => {
    const created = (await upload(bot.id, "re.txt", "Reindex me please.")).json();
    await api("POST", `/v1/bots/${bot.id}/documents/${created.id}/reindex`);
    const twice = await api("POST", `/v1/bots/${bot.id}/documents/${created.id}/reindex`);
    expect(twice.statusCode).toBe(202);
    expect(twice.json().version).toBe(1);
    const jobs = (await queue.getJobs(["waiting"])).filter((j) => j.data.documentId === created.id);
    expect(jobs).toHaveLength(1);

    await sql`update bot_documents set status = 'PROCESSED' where id = ${created.id}`;
    const again = await api("POST", `/v1/bots/${bot.id}/documents/${created.id}/reindex`);
    expect(again.json()).toMatchObject({ version: 2, status: "PENDING" });
    expect(await queue.getJob(`${created.id}-v2`)).toBeDefined();
  });

  it("re-index all queues every document of the bot", async () => {
    const b = await seedBot();
    for (const n of ["a", "b"]) await upload(b.bot.id, `${n}.txt`, `Document ${n} text.`, undefined, b.key);
    await sql`update bot_documents set status = 'PROCESSED' where bot_id = ${b.bot.id}`;
    const res = await b.api("POST", `/v1/bots/${b.bot.id}/documents/reindex`);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ queued: 2 });
    const versions = await sql<{ version: number }[]>`select version from bot_documents where bot_id = ${b.bot.id}`;
    expect(versions.map((v) => v.version)).toEqual([2, 2]);
  });

  it("delete removes the row, its chunks, the stored object and the waiting job", async () => {
    const created = (await upload(bot.id, "gone.txt", "Delete me.")).json();
    const filesBefore = storedFiles().length;
    const res = await api("DELETE", `/v1/bots/${bot.id}/documents/${created.id}`);
    expect(res.statusCode).toBe(204);
    expect(storedFiles().length).toBe(filesBefore - 1);
    expect(await queue.getJob(`${created.id}-v1`)).toBeUndefined();
    const again = await api("GET", `/v1/bots/${bot.id}/documents/${created.id}`);
    expect(again.statusCode).toBe(404);
  });
});

describe("attachmentDisposition", () => {
  it("cannot be broken out of by quotes or backslashes in a name", () => {
    expect(attachmentDisposition('a"; filename="evil.exe')).toBe(
      `attachment; filename="a_; filename=_evil.exe"; filename*=UTF-8''a%22%3B%20filename%3D%22evil.exe`,
    );
  });
});

describe("eventsAfterSnapshot", () => {
  const event = (documentId: string, version: number, status: DocumentStatusEvent["status"]): DocumentStatusEvent => ({
    documentId,
    botId: bot.id,
    version,
    status,
    stage: null,
    progress: 0,
    chunkCount: 0,
    errorMessage: null,
  });

  it("drops what a listed document's newer version supersedes, and keeps the rest in order", () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const early = [event(a, 1, "PROCESSING"), event(b, 1, "PROCESSING"), event(a, 2, "PENDING"), event(b, 1, "PROCESSED"), event(c, 1, "PENDING")];
    expect(eventsAfterSnapshot(early, [{ id: a, version: 2 }, { id: b, version: 1 }])).toEqual([early[1], early[2], early[3], early[4]]);
  });
});

/** Opens the event stream over HTTP; `chunks` collects what arrives, `next(pattern)` waits for it. */
async function openEvents(botId: string) {
  if (!app.server.listening) await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  let body = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const req = httpRequest({ host: "127.0.0.1", port, path: `/v1/bots/${botId}/documents/events`, headers: { authorization: `Bearer ${key}` } });
  const ended = new Promise<string>((resolve, reject) => {
    req.on("response", (res) => {
      expect(res.headers["content-type"]).toContain("text/event-stream");
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
        for (const w of waiters.splice(0)) {
          if (w.pattern.test(body)) w.resolve();
          else waiters.push(w);
        }
      });
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
  });
  req.end();
  const next = (pattern: RegExp) =>
    new Promise<void>((resolve) => (pattern.test(body) ? resolve() : waiters.push({ pattern, resolve })));
  return { next, ended, body: () => body, close: () => req.destroy() };
}

describe("GET /bots/:botId/documents/events (SSE)", () => {
  it("sends a snapshot, then live status events published for the bot", async () => {
    const events = await openEvents(bot.id);
    // The snapshot is sent once the subscription is confirmed, so publishing now is heard.
    await events.next(/event: snapshot\n/);
    await publishDocumentStatus(redis.client, redis.prefix, {
      documentId: randomUUID(),
      botId: bot.id,
      version: 1,
      status: "PROCESSING",
      stage: "embed",
      progress: 42,
      chunkCount: 0,
      errorMessage: null,
    });
    await events.next(/event: status\n/);
    events.close();
    expect(events.body()).toMatch(/event: snapshot\ndata: \{"documents":\[/);
    expect(events.body()).toMatch(/event: status\ndata: .*"progress":42/);
  });

  it("relays a website source's crawl progress, published on the same channel, as `source` events", async () => {
    const events = await openEvents(bot.id);
    await events.next(/event: snapshot\n/);
    const sourceId = randomUUID();
    await announceSourceStatus(redis.client, redis.prefix, {
      sourceId,
      botId: bot.id,
      status: "crawling",
      pagesFound: 12,
      pagesProcessed: 7,
      pagesFailed: 1,
      pagesSkipped: 2,
      errorMessage: null,
    });
    await events.next(/event: source\n/);
    events.close();
    expect(events.body()).toMatch(new RegExp(`event: source\ndata: \\{"type":"source","sourceId":"${sourceId}".*"pagesFound":12`));
    expect(events.body()).not.toMatch(/event: status\n/);
  });

  it("is ended when the app closes, so a shutdown is not held up by an open browser tab", async () => {
    const events = await openEvents(bot.id);
    await events.next(/event: snapshot\n/);
    await app.close();
    expect(await events.ended).toContain("event: snapshot");
  });
});
