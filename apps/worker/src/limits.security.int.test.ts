/**
 * Issue #12 items 6 and 7 through the worker: a document that would hold a worker for
 * minutes, or its memory for gigabytes, fails at once with a reason naming the limit.
 *
 * - A 2 MB PDF of 20,000 empty pages (it held a worker slot for 14 minutes): refused on
 *   the Free plan's page limit as soon as it is opened; on a plan whose page limit lets
 *   it through, stopped at the plan's processing time, parser thread included.
 * - A DOCX zip bomb (1.2 MB unpacking to 1.2 GB): refused by the zip limits.
 * Each fails after one attempt (retrying cannot help), with the row saying why.
 */
import { Readable } from "node:stream";
import { ensureCatalog } from "@docent/db/catalog";
import { makeDocxZipBomb, makeEmptyPagesPdf } from "@docent/ingest/testing";
import { createPlan, subscribe } from "@docent/testing/factories";
import { describe, expect, it } from "vitest";
import { createRig, finishedJob, settled, waitForDocument } from "../test/harness";
import { seedBot } from "../test/seed";

const rig = await createRig();
await ensureCatalog(rig.database.db);
const emptyPages = makeEmptyPagesPdf(20_000);

async function ingest(botId: string, fileName: string, bytes: Uint8Array) {
  const started = performance.now();
  const doc = await rig.documents.addFile({ botId, fileName, stream: Readable.from([Buffer.from(bytes)]) });
  const row = await waitForDocument(rig.database.sql, doc.id, settled, 120_000);
  const seconds = (performance.now() - started) / 1000;
  const job = await finishedJob(rig.queue, doc.id);
  return { row, seconds, attempts: job.attemptsMade };
}

describe("per-document limits in the worker", () => {
  it("fails a 20,000-page PDF on the Free plan's page limit within seconds", async () => {
    expect(emptyPages.byteLength).toBeLessThan(2.5 * 1024 * 1024);
    const { bot } = await seedBot(rig.database.db);
    const { row, seconds, attempts } = await ingest(bot.id, "empty.pdf", emptyPages);
    expect(row.status).toBe("FAILED");
    expect(row.errorMessage).toBe(
      "The PDF has 20,000 pages. Limit reached: 500 pages per PDF on the Free plan. Split it into smaller files, or move to a plan with a higher limit.",
    );
    expect(attempts).toBe(1);
    expect(seconds).toBeLessThan(60);
  });

  it("stops a PDF that passes the page limit at the plan's processing time", async () => {
    const plan = await createPlan(rig.database.db, { name: "Test", maxPdfPages: 100_000, maxDocProcessingSeconds: 3 });
    const { workspace, bot } = await seedBot(rig.database.db);
    await subscribe(rig.database.db, workspace.id, plan);
    const { row, seconds, attempts } = await ingest(bot.id, "empty.pdf", emptyPages);
    expect(row.status).toBe("FAILED");
    expect(row.errorMessage).toBe(
      "Processing stopped after 3 s. Limit reached: 3 seconds of processing per document on the Test plan. Split it into smaller files, or move to a plan with a higher limit.",
    );
    expect(attempts).toBe(1);
    // 3 s of processing plus queueing and the status write, on a shared machine.
    expect(seconds).toBeLessThan(30);
  });

  it("fails a DOCX zip bomb on the zip limits, not as 'not a valid Word document'", async () => {
    const { bot } = await seedBot(rig.database.db);
    const { row, attempts } = await ingest(bot.id, "report.docx", makeDocxZipBomb({ inflatedMb: 1200 }));
    expect(row.status).toBe("FAILED");
    expect(row.errorMessage).toMatch(/^The Word document unpacks to more than 128 MB \(its contents claim 1200 MB\), the limit for the uncompressed contents of a zip-based document/);
    expect(attempts).toBe(1);
  });
});
