/**
 * A worker that lost its job lock stops at its next checkpoint without committing; the
 * worker the job was handed to finishes it. Two worker processes (the shipped start
 * command) with a 2 s lock and the same embedding pace: the one that took the job is
 * paused (SIGSTOP) mid-embedding until its lock lapses and the other has taken the job
 * over, then resumed (SIGCONT). It is a third of the way ahead, so without the check it
 * would commit first.
 */
import { chunkDocument } from "@docent/ingest/chunk";
import { extract } from "@docent/ingest/extract";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { longMarkdown } from "../test/fixtures";
import { finishedJob, waitForDocument } from "../test/harness";
import { createProcessRig } from "../test/process-rig";
import { seedBot } from "../test/seed";

const { database, queue, documents, startWorker, expectExactlyProcessed } = await createProcessRig();
const chunking = { chunkSize: 100, chunkOverlap: 20 };
const { bot } = await seedBot(database.db, chunking);
const text = longMarkdown(16);
const cleanRunChunks = chunkDocument(await extract({ bytes: Buffer.from(text), kind: "markdown" }), chunking).length;

async function runClaim(documentId: string) {
  const [row] = await database.sql<{ runId: string | null }[]>`
    select ingest_run_id as "runId" from bot_documents where id = ${documentId}`;
  return row?.runId ?? null;
}

describe("a worker that lost its job lock", () => {
  it("stops without committing, and the worker that took the job over finishes it", async () => {
    const workers = [0, 1].map(() => startWorker({ DOCENT_TEST_EMBED_DELAY_MS: "150" }));
    await Promise.all(workers.map((w) => w.waitForLine(/worker ready/)));
    const doc = await documents.addFile({ botId: bot.id, fileName: "handbook.md", stream: Readable.from([Buffer.from(text)]) });
    const started = new RegExp(`"jobId":"${doc.id}-v1".*"msg":"job started"`);
    const winner = await Promise.race(workers.map((w) => w.waitForLine(started).then(() => w)));
    const [first, second] = winner === workers[0] ? [workers[0]!, workers[1]!] : [workers[1]!, workers[0]!];
    await waitForDocument(database.sql, doc.id, (r) => r.stage === "embed" && r.progress >= 35);
    const firstClaim = await runClaim(doc.id);
    expect(firstClaim).not.toBeNull();

    first.child.kill("SIGSTOP");
    try {
      // The lock lapses (2 s), stalled-job recovery hands the job to the second worker,
      // which claims the document.
      await second.waitForLine(started, 30_000);
      await expect.poll(() => runClaim(doc.id), { timeout: 10_000 }).not.toBe(firstClaim);
    } finally {
      first.child.kill("SIGCONT");
    }

    await first.waitForLine(/job lock lost to another worker; stopped without committing/, 20_000);
    await expectExactlyProcessed(doc.id, cleanRunChunks, 60_000);
    // Only the second worker committed.
    expect(first.lines.some((l) => /"msg":"document processed"/.test(l))).toBe(false);
    // The row commits before BullMQ records the job's completion.
    const job = await finishedJob(queue, doc.id);
    expect(await job.getState()).toBe("completed");
    expect(job.returnvalue).toMatchObject({ status: "processed", chunks: cleanRunChunks });
    for (const w of workers) w.child.kill("SIGTERM");
    for (const w of workers) expect((await w.exited).code, w.lines.slice(-30).join("\n")).toBe(0);
  });
});
