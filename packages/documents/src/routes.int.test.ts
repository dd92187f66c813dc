/**
 * The documents routes mounted in a bare Fastify app with a stub `authorize`, backed by
 * real Postgres, Redis (BullMQ) and the filesystem storage driver: what an admin or an
 * integrator sees over HTTP.
 */
import type {} from "@docent/testing/global-setup";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@docent/config/logger";
import { bots, users, workspaces } from "@docent/db/schema";
import { createIngestQueue } from "@docent/queue/producer";
import { createRedis } from "@docent/queue/redis";
import { publishDocumentStatus } from "@docent/queue/status";
import { createFsStorage } from "@docent/storage";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import Fastify from "fastify";
import { randomBytes, randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createPlanLimits, unlimitedLimits, type DocumentLimits } from "./limits";
import { attachmentDisposition, documentRoutes, type HttpErrorInput } from "./routes";
import { createDocumentsService } from "./service";

const database = await useTestDatabase();
const testRedis = useTestRedis();
const redis = createRedis(testRedis.url, "worker");
const queue = createIngestQueue({ connection: redis, prefix: testRedis.prefix });
const storageDir = mkdtempSync(join(tmpdir(), "docent-documents-"));
const storage = createFsStorage(storageDir);
const logger = createLogger({ service: "documents-test", level: "silent" });

let limits: DocumentLimits = unlimitedLimits;
const service = createDocumentsService({
  db: database.db,
  storage,
  queue,
  redis,
  logger,
  limits: {
    maxFileBytes: (db, ws) => limits.maxFileBytes(db, ws),
    assertCanAddDocument: (db, input) => limits.assertCanAddDocument(db, input),
    assertCanProcess: (db, ws, n) => limits.assertCanProcess(db, ws, n),
  },
});

class HttpError extends Error {
  constructor(public readonly input: HttpErrorInput) {
    super(input.message);
  }
}

/** Bots this "caller" may use; any other bot is refused like the real auth would. */
const allowedBots = new Set<string>();
const app = Fastify();
app.setErrorHandler((error, request, reply) => {
  const e = error instanceof HttpError ? error.input : { statusCode: 500, code: "internal", message: "Internal error" };
  void reply.code(e.statusCode).send({
    requestId: request.id,
    statusCode: e.statusCode,
    error: e.code,
    message: e.message,
    details: "details" in e ? e.details : undefined,
  });
});
await app.register(documentRoutes, {
  prefix: "/v1",
  service,
  createError: (input) => new HttpError(input),
  authorize: (_request, botId) => {
    if (!allowedBots.has(botId)) throw new HttpError({ statusCode: 403, code: "forbidden", message: "No access to this bot." });
    return { userId: null };
  },
  sseHeartbeatMs: 60_000,
});
await app.ready();

afterAll(async () => {
  await app.close();
  await service.close();
  await queue.close();
  redis.disconnect();
  rmSync(storageDir, { recursive: true, force: true });
});

async function seedBot() {
  const tag = randomBytes(5).toString("hex");
  const [user] = await database.db.insert(users).values({ email: `u-${tag}@example.com` }).returning();
  const [ws] = await database.db.insert(workspaces).values({ name: "W", slug: `w-${tag}`, createdBy: user!.id }).returning();
  const [bot] = await database.db.insert(bots).values({ workspaceId: ws!.id, name: "B", publicId: `p${tag}` }).returning();
  allowedBots.add(bot!.id);
  return { bot: bot!, workspace: ws! };
}

function multipart(fileName: string, content: Buffer | string, contentType = "application/octet-stream") {
  const boundary = `----docent${randomBytes(8).toString("hex")}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

const upload = (botId: string, fileName: string, content: Buffer | string, contentType?: string) =>
  app.inject({ method: "POST", url: `/v1/bots/${botId}/documents`, ...multipart(fileName, content, contentType) });

const storedFiles = () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return walk(storageDir);
};

const { bot, workspace } = await seedBot();
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
    const [row] = await database.sql<{ key: string }[]>`select storage_key as key from bot_documents where id = ${doc.id}`;
    expect(row!.key).toMatch(new RegExp(`^workspaces/${workspace.id}/bots/${bot.id}/documents/${doc.id}/[0-9a-f-]{36}$`));
    expect(row!.key).not.toContain("Guide");
    const job = await queue.getJob(`${doc.id}-v1`);
    // The request's id rides along, for the worker's log lines (Fastify's own ids here).
    expect(job?.data).toEqual({ documentId: doc.id, botId: bot.id, workspaceId: workspace.id, version: 1, requestId: expect.stringMatching(/^req-\d+$/) });
  });

  it.each([
    ["a PNG image", "photo.pdf", Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), 415, "unsupported_file"],
    ["an empty file", "empty.txt", Buffer.alloc(0), 422, "empty_file"],
    ["a truncated PDF", "cut.pdf", Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), 422, "corrupt_file"],
    ["a ZIP archive", "notes.docx", Buffer.from("504b03040a0000000000", "hex"), 415, "unsupported_file"],
  ])("refuses %s with a 4xx naming the problem and stores nothing", async (_what, name, bytes, status, code) => {
    const before = storedFiles().length;
    const res = await upload(bot.id, name, bytes);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ statusCode: status, error: code });
    expect(res.json().message.length).toBeGreaterThan(10);
    expect(storedFiles().length).toBe(before);
  });

  it("refuses a file over the plan's size limit with 413 and keeps no partial object", async () => {
    limits = { ...unlimitedLimits, maxFileBytes: async () => ({ bytes: 100_000 }) };
    const before = storedFiles().length;
    const res = await upload(bot.id, "big.txt", "All work and no play. ".repeat(10_000));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: "file_too_large" });
    expect(storedFiles().length).toBe(before);
  });

  it("enforces documents per bot from the workspace's plan", async () => {
    const { bot: small } = await seedBot();
    await database.sql`insert into plans (code, name, max_documents_per_bot) values ('free', 'Free', 1)
                       on conflict (code) do update set max_documents_per_bot = 1`;
    limits = createPlanLimits();
    expect((await upload(small.id, "one.txt", "First document text.")).statusCode).toBe(201);
    const second = await upload(small.id, "two.txt", "Second document text.");
    expect(second.statusCode).toBe(402);
    expect(second.json()).toMatchObject({ error: "plan_limit_reached", details: { limit: "documentsPerBot", max: 1 } });
    expect(second.json().message).toBe("Limit reached: 1 document per bot on the Free plan.");
  });

  it("refuses a request that is not multipart", async () => {
    const res = await app.inject({ method: "POST", url: `/v1/bots/${bot.id}/documents`, payload: { a: 1 } });
    expect(res.statusCode).toBe(415);
  });

  it("refuses a caller without access to the bot, and an invalid bot id", async () => {
    const other = randomUUID();
    expect((await upload(other, "a.txt", "text")).statusCode).toBe(403);
    const bad = await app.inject({ method: "GET", url: `/v1/bots/not-a-uuid/documents` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe("validation_error");
  });
});

describe("text and URL sources", () => {
  it("adds pasted text as a MANUAL_TEXT document", async () => {
    const res = await app.inject({
      method: "POST",
      url: `/v1/bots/${bot.id}/documents/text`,
      payload: { name: "FAQ", text: "Opening hours are nine to five." },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ sourceType: "MANUAL_TEXT", name: "FAQ", status: "PENDING" });
  });

  it("adds a URL, and refuses non-http schemes with 400", async () => {
    const ok = await app.inject({ method: "POST", url: `/v1/bots/${bot.id}/documents/url`, payload: { url: "https://example.com/help" } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ sourceType: "URL", sourceUrl: "https://example.com/help", name: "example.com/help" });
    const bad = await app.inject({ method: "POST", url: `/v1/bots/${bot.id}/documents/url`, payload: { url: "file:///etc/passwd" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe("unsafe_url");
  });
});

describe("list, get, download", () => {
  it("lists documents with status, progress and chunk count, and gets one", async () => {
    const created = (await upload(bot.id, "list-me.txt", "Listing test text.")).json();
    const list = await app.inject({ method: "GET", url: `/v1/bots/${bot.id}/documents?status=PENDING` });
    expect(list.statusCode).toBe(200);
    const found = list.json().documents.find((d: { id: string }) => d.id === created.id);
    expect(found).toMatchObject({ status: "PENDING", progress: 0, chunkCount: 0, errorMessage: null });
    const one = await app.inject({ method: "GET", url: `/v1/bots/${bot.id}/documents/${created.id}` });
    expect(one.json().id).toBe(created.id);
  });

  it("hides another bot's document behind 404", async () => {
    const created = (await upload(bot.id, "mine.txt", "Private text.")).json();
    const { bot: other } = await seedBot();
    const res = await app.inject({ method: "GET", url: `/v1/bots/${other.id}/documents/${created.id}` });
    expect(res.statusCode).toBe(404);
  });

  it("downloads the original as an attachment with nosniff", async () => {
    const html = "<html><body><script>alert(1)</script><p>Stored page text here.</p></body></html>";
    const created = (await upload(bot.id, "päge x.html", html)).json();
    const res = await app.inject({ method: "GET", url: `/v1/bots/${bot.id}/documents/${created.id}/download` });
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
    await app.inject({ method: "POST", url: `/v1/bots/${bot.id}/documents/${created.id}/reindex` });
    const twice = await app.inject({ method: "POST", url: `/v1/bots/${bot.id}/documents/${created.id}/reindex` });
    expect(twice.statusCode).toBe(202);
    expect(twice.json().version).toBe(1);
    const jobs = (await queue.getJobs(["waiting"])).filter((j) => j.data.documentId === created.id);
    expect(jobs).toHaveLength(1);

    await database.sql`update bot_documents set status = 'PROCESSED' where id = ${created.id}`;
    const again = await app.inject({ method: "POST", url: `/v1/bots/${bot.id}/documents/${created.id}/reindex` });
    expect(again.json()).toMatchObject({ version: 2, status: "PENDING" });
    expect(await queue.getJob(`${created.id}-v2`)).toBeDefined();
  });

  it("re-index all queues every document of the bot", async () => {
    const { bot: b } = await seedBot();
    for (const n of ["a", "b"]) await upload(b.id, `${n}.txt`, `Document ${n} text.`);
    await database.sql`update bot_documents set status = 'PROCESSED' where bot_id = ${b.id}`;
    const res = await app.inject({ method: "POST", url: `/v1/bots/${b.id}/documents/reindex` });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ queued: 2 });
    const versions = await database.sql<{ version: number }[]>`select version from bot_documents where bot_id = ${b.id}`;
    expect(versions.map((v) => v.version)).toEqual([2, 2]);
  });

  it("delete removes the row, its chunks, the stored object and the waiting job", async () => {
    const created = (await upload(bot.id, "gone.txt", "Delete me.")).json();
    const filesBefore = storedFiles().length;
    const res = await app.inject({ method: "DELETE", url: `/v1/bots/${bot.id}/documents/${created.id}` });
    expect(res.statusCode).toBe(204);
    expect(storedFiles().length).toBe(filesBefore - 1);
    expect(await queue.getJob(`${created.id}-v1`)).toBeUndefined();
    const again = await app.inject({ method: "GET", url: `/v1/bots/${bot.id}/documents/${created.id}` });
    expect(again.statusCode).toBe(404);
  });
});

describe("GET /bots/:botId/documents/events (SSE)", () => {
  it("sends a snapshot, then live status events published for the bot", async () => {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    const received: string[] = [];
    const req = httpRequest({ host: "127.0.0.1", port, path: `/v1/bots/${bot.id}/documents/events` });
    const gotEvent = new Promise<void>((resolve, reject) => {
      req.on("response", (res) => {
        expect(res.headers["content-type"]).toContain("text/event-stream");
        res.setEncoding("utf8");
        res.on("data", async (chunk: string) => {
          received.push(chunk);
          const all = received.join("");
          if (all.includes("event: snapshot") && !all.includes("event: status") && received.length === 1) {
            // Give the subscription a moment to be registered, then publish.
            await new Promise((r) => setTimeout(r, 100));
            await publishDocumentStatus(redis, testRedis.prefix, {
              documentId: randomUUID(),
              botId: bot.id,
              version: 1,
              status: "PROCESSING",
              stage: "embed",
              progress: 42,
              chunkCount: 0,
              errorMessage: null,
            });
          }
          if (all.includes("event: status")) resolve();
        });
      });
      req.on("error", reject);
    });
    req.end();
    await gotEvent;
    req.destroy();
    const all = received.join("");
    expect(all).toMatch(/event: snapshot\ndata: \{"documents":\[/);
    expect(all).toMatch(/event: status\ndata: .*"progress":42/);
  });
});

describe("attachmentDisposition", () => {
  it("cannot be broken out of by quotes or backslashes in a name", () => {
    expect(attachmentDisposition('a"; filename="evil.exe')).toBe(
      `attachment; filename="a_; filename=_evil.exe"; filename*=UTF-8''a%22%3B%20filename%3D%22evil.exe`,
    );
  });
});
