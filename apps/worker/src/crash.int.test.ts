/**
 * The worker as a real process. SIGKILL mid-document: the job's lock expires, another
 * worker picks it up (stalled-job recovery), and the document ends PROCESSED with exactly
 * the chunks of a clean run, no duplicates. SIGTERM: the worker hands the running job
 * back to the queue and exits cleanly; the next worker completes it.
 */
import { chunkDocument } from "@docent/ingest/chunk";
import { extract } from "@docent/ingest/extract";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { longMarkdown } from "../test/fixtures";
import { waitForDocument } from "../test/harness";
import { createProcessRig } from "../test/process-rig";
import { seedBot } from "../test/seed";

const { database, queue, documents, startWorker, chunkStats, expectExactlyProcessed } = await createProcessRig();
const chunking = { chunkSize: 100, chunkOverlap: 20 };
const { bot, workspace } = await seedBot(database.db, chunking);

const text = longMarkdown(30);
const cleanRunChunks = chunkDocument(await extract({ bytes: Buffer.from(text), kind: "markdown" }), chunking).length;

async function addHandbook() {
  return documents.addFile({ botId: bot.id, fileName: "handbook.md", stream: Readable.from([Buffer.from(text)]) });
}

describe("worker crash safety", () => {
  it("a document survives SIGKILL mid-embedding with exactly the clean run's chunks", async () => {
    expect(cleanRunChunks).toBeGreaterThan(40);
    const slow = startWorker({ DOCENT_TEST_EMBED_DELAY_MS: "150" });
    await slow.waitForLine(/worker ready/);
    const doc = await addHandbook();
    await waitForDocument(database.sql, doc.id, (r) => r.stage === "embed" && r.progress >= 40);
    slow.child.kill("SIGKILL");
    expect((await slow.exited).signal).toBe("SIGKILL");

    // Nothing half-written is visible: the killed attempt never committed.
    const mid = await waitForDocument(database.sql, doc.id, () => true);
    expect(mid.status).toBe("PROCESSING");
    expect((await chunkStats(doc.id)).total).toBe(0);

    const rescuer = startWorker();
    await expectExactlyProcessed(doc.id, cleanRunChunks, 40_000);
    // Recovered by BullMQ's stalled-job check, not by a fresh job.
    const job = await queue.getJob(`${doc.id}-v1`);
    expect(job?.stalledCounter).toBe(1);
    // The recovered job is still one processing job for the month.
    const [usage] = await database.sql<{ jobs: number }[]>`
      select processing_jobs as jobs from usage_counters where workspace_id = ${workspace.id}`;
    expect(usage?.jobs).toBe(1);
    rescuer.child.kill("SIGTERM");
    expect((await rescuer.exited).code, rescuer.lines.slice(-30).join("\n")).toBe(0);
  });

  it("SIGTERM releases the running job and exits cleanly; the next worker completes it", async () => {
    const worker = startWorker({ DOCENT_TEST_EMBED_DELAY_MS: "150" });
    const ready = JSON.parse(await worker.waitForLine(/worker ready/)) as { opsPort: number };
    // The image's HEALTHCHECK asks the ops server: ready while it works.
    const readyz = await fetch(`http://127.0.0.1:${ready.opsPort}/readyz`);
    expect(await readyz.json()).toEqual({ status: "ok", checks: { postgres: "ok", redis: "ok", worker: "ok" } });
    const doc = await addHandbook();
    await waitForDocument(database.sql, doc.id, (r) => r.stage === "embed" && r.progress >= 30);
    worker.child.kill("SIGTERM");
    const exit = await worker.exited;
    expect(exit.code, worker.lines.slice(-30).join("\n")).toBe(0);
    expect(worker.lines.some((l) => /job released/.test(l))).toBe(true);
    expect(worker.lines.some((l) => /shutdown complete/.test(l))).toBe(true);
    // Released, not stalled: the job is waiting for the next worker right away.
    const job = await queue.getJob(`${doc.id}-v1`);
    expect(await job?.getState()).toBe("waiting");

    const next = startWorker();
    const row = await waitForDocument(database.sql, doc.id, (r) => r.status !== "PROCESSING", 40_000);
    expect(row.status).toBe("PROCESSED");
    expect((await chunkStats(doc.id)).total).toBe(cleanRunChunks);
    next.child.kill("SIGTERM");
    expect((await next.exited).code, next.lines.slice(-30).join("\n")).toBe(0);
  });
});
