/**
 * End to end below HTTP: documents go in as the API adds them (stored in an
 * S3-protocol server), the ingest worker processes them, and the chunks land in
 * Postgres + pgvector with the text, pages, vectors and search config a user relies on.
 */
import { Readable } from "node:stream";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { enqueueIngest } from "@docent/queue/producer";
import { describe, expect, it } from "vitest";
import * as fixtures from "../test/fixtures";
import { createRig, finishedJob, settled, waitForDocument } from "../test/harness";
import { seedBot } from "../test/seed";
import { reapStuckDocuments } from "./reaper";

const rig = await createRig({
  fetchOptions: { allowAddress: (address) => address === "127.0.0.1" },
});
const { database, documents, counts } = rig;
const { bot, workspace } = await seedBot(database.db, { language: "german" });

async function upload(fileName: string, bytes: Buffer | string) {
  const doc = await documents.addFile({
    botId: bot.id,
    fileName,
    stream: Readable.from([Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)]),
  });
  return { doc, row: await waitForDocument(database.sql, doc.id, settled) };
}

async function chunksOf(documentId: string) {
  return database.sql<
    { chunkIndex: number; content: string; page: number | null; dims: number; config: string; model: string }[]
  >`select chunk_index as "chunkIndex", content, (metadata->>'page')::int as page,
           vector_dims(embedding) as dims, text_search_config::text as config, embedding_model as model
      from bot_document_chunks where document_id = ${documentId} order by chunk_index`;
}

describe("ingesting each supported format", () => {
  it("PDF: processed, with the right page number on each page's text", async () => {
    const pdf = await fixtures.makePdf([fixtures.sentences.pdfPage1, fixtures.sentences.pdfPage2, fixtures.sentences.pdfPage3]);
    const { doc, row } = await upload("manual.pdf", pdf);
    expect(row.status).toBe("PROCESSED");
    expect(doc.mimeType).toBe("application/pdf");
    const chunks = await chunksOf(doc.id);
    const pageOf = (sentence: string) => chunks.find((c) => c.content.includes(sentence))?.page;
    expect(pageOf(fixtures.sentences.pdfPage1)).toBe(1);
    expect(pageOf(fixtures.sentences.pdfPage2)).toBe(2);
    expect(pageOf(fixtures.sentences.pdfPage3)).toBe(3);
    expect(row.chunkCount).toBe(chunks.length);
  });

  it.each([
    ["policy.docx", () => fixtures.makeDocx(), fixtures.sentences.docx],
    ["returns.html", async () => fixtures.html, fixtures.sentences.html],
    ["kitchen.md", async () => fixtures.markdown, fixtures.sentences.markdown],
    ["products.csv", async () => fixtures.csv, fixtures.sentences.csvRow],
    ["support.json", async () => fixtures.json, fixtures.sentences.json],
  ])("%s: processed, chunks hold its sentences and 768-dim vectors", async (name, make, sentence) => {
    const { doc, row } = await upload(name, await make());
    expect(row).toMatchObject({ status: "PROCESSED", progress: 100, stage: null });
    const chunks = await chunksOf(doc.id);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.some((c) => c.content.includes(sentence))).toBe(true);
    for (const chunk of chunks) {
      expect(chunk.dims).toBe(768);
      // Keyword search uses the bot's language.
      expect(chunk.config).toBe("german");
      expect(chunk.model).toBe("local:lexical-hash-v1");
    }
  });

  it("HTML keeps the main content and drops scripts and navigation", async () => {
    const { doc } = await upload("page.html", fixtures.html);
    const text = (await chunksOf(doc.id)).map((c) => c.content).join("\n");
    expect(text).not.toContain("secretToken");
    expect(text).not.toContain("Home | Shop | Cart");
  });

  it("CSV and JSON become structured sources", async () => {
    const { doc: csv } = await upload("data.csv", fixtures.csv);
    const { doc: json } = await upload("data.json", fixtures.json);
    expect(csv.sourceType).toBe("CSV_STRUCTURED");
    expect(json.sourceType).toBe("JSON_STRUCTURED");
  });

  it("counts one processing job per accepted document version in usage_counters", async () => {
    const [usage] = await database.sql<{ jobs: number }[]>`
      select processing_jobs as jobs from usage_counters where workspace_id = ${workspace.id}`;
    const [docs] = await database.sql<{ n: number }[]>`
      select count(*)::int as n from bot_documents where bot_id = ${bot.id}`;
    expect(usage?.jobs).toBe(docs?.n);
  });
});

describe("failures", () => {
  it("a corrupt PDF ends FAILED after one attempt with a readable error", async () => {
    // Header and end marker pass the upload check; the body is garbage.
    const corrupt = Buffer.concat([
      Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n"),
      Buffer.from("this is not a cross-reference table\n".repeat(20)),
      Buffer.from("trailer\n<< /Root 1 0 R >>\nstartxref\n999999\n%%EOF\n"),
    ]);
    const { doc, row } = await upload("broken.pdf", corrupt);
    expect(row.status).toBe("FAILED");
    expect(row.errorMessage).toMatch(/pdf/i);
    expect(row.errorMessage).not.toMatch(/at \w+ \(|node_modules/);
    const job = await finishedJob(rig.queue, doc.id);
    expect(job.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe("failed");
  });
});

describe("re-index", () => {
  it("makes no embedding calls for unchanged chunks", async () => {
    const { doc, row } = await upload("handbook.md", fixtures.longMarkdown(6));
    expect(row.status).toBe("PROCESSED");
    const before = { ...counts };
    const chunksBefore = await chunksOf(doc.id);
    await documents.reindex(bot.id, doc.id);
    const again = await waitForDocument(database.sql, doc.id, (r) => r.version === 2 && settled(r));
    expect(again.status).toBe("PROCESSED");
    expect(counts.texts - before.texts).toBe(0);
    expect(counts.calls - before.calls).toBe(0);
    const chunksAfter = await chunksOf(doc.id);
    expect(chunksAfter.map((c) => c.content)).toEqual(chunksBefore.map((c) => c.content));
  });

  it("embeds only the chunks whose text changed", async () => {
    const original = fixtures.longMarkdown(6);
    const doc = await documents.addText({ botId: bot.id, name: "notes", text: original });
    await waitForDocument(database.sql, doc.id, settled);
    const total = (await chunksOf(doc.id)).length;
    // Replace the stored original with a version whose last section changed.
    const [stored] = await database.sql<{ key: string }[]>`select storage_key as key from bot_documents where id = ${doc.id}`;
    await rig.s3.storage.put(stored!.key, Buffer.from(`${original}\n\n## Appendix\n\nA brand new closing paragraph about ladders.`));
    const before = counts.texts;
    await documents.reindex(bot.id, doc.id);
    await waitForDocument(database.sql, doc.id, (r) => r.version === 2 && settled(r));
    const embedded = counts.texts - before;
    expect(embedded).toBeGreaterThan(0);
    expect(embedded).toBeLessThan(total);
  });
});

describe("stale and lost jobs", () => {
  async function outcome(documentId: string) {
    const job = await finishedJob(rig.queue, documentId);
    return { state: await job.getState(), result: job.returnvalue };
  }

  it("drops the job of a document that was deleted", async () => {
    const documentId = randomUUID();
    await enqueueIngest(rig.queue, { documentId, botId: bot.id, workspaceId: workspace.id, version: 1 });
    expect(await outcome(documentId)).toEqual({
      state: "completed",
      result: { status: "skipped", reason: "document deleted" },
    });
  });

  it("drops a job whose document version moved on, leaving the newer chunks alone", async () => {
    const { doc } = await upload("v.md", fixtures.markdown);
    const chunksBefore = await chunksOf(doc.id);
    await database.sql`update bot_documents set version = 5 where id = ${doc.id}`;
    await rig.queue.remove(`${doc.id}-v1`);
    await enqueueIngest(rig.queue, { documentId: doc.id, botId: bot.id, workspaceId: workspace.id, version: 1 });
    const finished = await outcome(doc.id);
    expect(finished.result).toMatchObject({ status: "skipped" });
    expect(await chunksOf(doc.id)).toEqual(chunksBefore);
  });

  it("the reaper re-enqueues a PENDING document whose job is gone", async () => {
    const doc = await documents.addText({ botId: bot.id, name: "orphan", text: "The reaper rescues lost documents." });
    await waitForDocument(database.sql, doc.id, settled);
    // Simulate a lost job: a new version is requested but never enqueued.
    await database.sql`update bot_documents set status = 'PENDING', version = version + 1,
                        updated_at = now() - interval '1 hour' where id = ${doc.id}`;
    const result = await reapStuckDocuments(rig.reaperDeps());
    expect(result.requeued).toBeGreaterThanOrEqual(1);
    const row = await waitForDocument(database.sql, doc.id, (r) => r.version === 2 && settled(r));
    expect(row.status).toBe("PROCESSED");
  });
});

describe("URL sources", () => {
  it("fetches the page, indexes it and keeps the fetched original for download", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(fixtures.html);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      const doc = await documents.addUrl({ botId: bot.id, url: `http://127.0.0.1:${port}/returns` });
      const row = await waitForDocument(database.sql, doc.id, settled);
      expect(row.status).toBe("PROCESSED");
      const chunks = await chunksOf(doc.id);
      expect(chunks.some((c) => c.content.includes(fixtures.sentences.html))).toBe(true);
      const download = await documents.download(bot.id, doc.id);
      expect(download.contentType).toBe("text/html");
      const parts: Buffer[] = [];
      for await (const p of download.stream) parts.push(p as Buffer);
      expect(Buffer.concat(parts).toString()).toBe(fixtures.html);
    } finally {
      server.close();
    }
  });

  it("a URL that points at a private address fails with a message naming the reason", async () => {
    const doc = await documents.addUrl({ botId: bot.id, url: "http://10.0.0.1/internal" });
    const row = await waitForDocument(database.sql, doc.id, settled);
    expect(row.status).toBe("FAILED");
    expect(row.errorMessage).toMatch(/private|internal|not allowed|refused/i);
  });
});
