/**
 * Deleting a document that is being ingested. DELETE answers at once even while the
 * worker's commit holds the document row (it records the deletion instead of waiting),
 * the document disappears from listings at once, and the worker removes the row, its
 * chunks and every stored object when it gets to its next checkpoint. A deletion the
 * request could not finish (the API process died) is finished by the reaper.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ObjectStorage } from "@docent/storage";
import { afterAll, describe, expect, it } from "vitest";
import * as fixtures from "../test/fixtures";
import { createRig, finishedJob, settled, waitForDocument } from "../test/harness";
import { seedBot } from "../test/seed";
import { reapStuckDocuments } from "./reaper";

/** The worker's storage, recording the keys it writes. */
const written: string[] = [];
const recording = (inner: ObjectStorage): ObjectStorage => ({
  driver: inner.driver,
  put: async (key, body, options) => {
    written.push(key);
    await inner.put(key, body, options);
  },
  get: (key) => inner.get(key),
  head: (key) => inner.head(key),
  delete: (key) => inner.delete(key),
  check: () => inner.check(),
});

const rig = await createRig({
  concurrency: 1,
  embedDelayMs: 150,
  workerStorage: async (s3) => recording(s3.storage),
  fetchOptions: { allowAddress: (address) => address === "127.0.0.1" },
});
const { database, documents, s3 } = rig;

async function leftovers(documentId: string) {
  const [row] = await database.sql<{ documents: number; chunks: number; deletions: number }[]>`
    select (select count(*)::int from bot_documents where id = ${documentId}) as documents,
           (select count(*)::int from bot_document_chunks where document_id = ${documentId}) as chunks,
           (select count(*)::int from bot_document_deletions where document_id = ${documentId}) as deletions`;
  return row!;
}

const storageKeyOf = async (documentId: string) =>
  (await database.sql<{ key: string | null }[]>`select storage_key as key from bot_documents where id = ${documentId}`)[0]?.key ?? null;

describe("DELETE during ingestion", () => {
  it("answers within a second while the worker commits, and the worker removes everything after", async () => {
    const { bot } = await seedBot(database.db);
    // Hold the bot's search statistics row: the commit's COPY (its statistics trigger)
    // waits on it, holding the document row locked as a long commit does.
    await database.sql`insert into bot_search_stats (bot_id, chunk_count, total_length) values (${bot.id}, 0, 0) on conflict do nothing`;
    const holder = await database.sql.reserve();
    await holder`begin`;
    await holder`select 1 from bot_search_stats where bot_id = ${bot.id} for update`;
    // Released after 5 s at the latest, so a DELETE that waits for the commit shows as slow.
    const release = setTimeout(() => void holder`rollback`.then(() => holder.release()), 5000);
    try {
      const doc = await documents.addText({ botId: bot.id, name: "handbook", text: fixtures.longMarkdown(4) });
      await expect
        .poll(
          async () => {
            const [waiting] = await database.sql<{ n: number }[]>`
              select count(*)::int as n from pg_stat_activity
               where datname = current_database() and wait_event_type = 'Lock' and query ilike 'copy bot_document_chunks%'`;
            return waiting?.n ?? 0;
          },
          { timeout: 30_000, message: "the worker's commit to be waiting inside its COPY" },
        )
        .toBeGreaterThan(0);
      const storageKey = await storageKeyOf(doc.id);
      expect(storageKey).not.toBeNull();

      const started = performance.now();
      await documents.delete(bot.id, doc.id);
      expect(performance.now() - started).toBeLessThan(1000);
      expect((await documents.list(bot.id)).map((d) => d.id)).not.toContain(doc.id);
      expect(await documents.get(bot.id, doc.id)).toBeUndefined();
      expect(await documents.delete(bot.id, doc.id)).toBe(false);

      clearTimeout(release);
      await holder`rollback`;
      holder.release();
      await expect.poll(async () => (await leftovers(doc.id)).documents, { timeout: 30_000, message: "the worker to remove the document" }).toBe(0);
      expect(await leftovers(doc.id)).toEqual({ documents: 0, chunks: 0, deletions: 0 });
      expect(await s3.storage.head(storageKey!)).toBeUndefined();
      expect(await (await finishedJob(rig.queue, doc.id)).getState()).toBe("completed");
    } finally {
      clearTimeout(release);
    }
  });

  it("removes a URL document's fetched original when it is deleted mid-embedding", async () => {
    // Small chunks: several embedding batches, so the job is caught between two of them.
    const { bot } = await seedBot(database.db, { chunkSize: 100, chunkOverlap: 20 });
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/markdown; charset=utf-8" });
      res.end(fixtures.longMarkdown(10));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    afterAll(() => server.close());
    const before = written.length;
    const doc = await documents.addUrl({ botId: bot.id, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/handbook.md` });
    await waitForDocument(database.sql, doc.id, (r) => r.stage === "embed");
    const fetched = written.slice(before);
    expect(fetched).toHaveLength(1);
    await documents.delete(bot.id, doc.id);
    const job = await finishedJob(rig.queue, doc.id, 30_000);
    expect(await job.getState()).toBe("completed");
    // Stopped at a checkpoint, not finished.
    expect(job.returnvalue).toMatchObject({ status: "skipped", reason: "deleted" });
    expect(await leftovers(doc.id)).toEqual({ documents: 0, chunks: 0, deletions: 0 });
    expect(await s3.storage.head(fetched[0]!)).toBeUndefined();
  });

  it("leaves a deletion the request could not finish to the reaper", async () => {
    const { bot } = await seedBot(database.db);
    const doc = await documents.addText({ botId: bot.id, name: "note", text: "The reaper finishes deletions." });
    await waitForDocument(database.sql, doc.id, settled);
    const storageKey = await storageKeyOf(doc.id);
    // As if the API process died right after recording the deletion.
    await database.sql`insert into bot_document_deletions (document_id, bot_id) values (${doc.id}, ${bot.id})`;
    expect((await documents.list(bot.id)).map((d) => d.id)).not.toContain(doc.id);
    const result = await reapStuckDocuments(rig.reaperDeps());
    expect(result.purged).toBe(1);
    expect(await leftovers(doc.id)).toEqual({ documents: 0, chunks: 0, deletions: 0 });
    expect(await s3.storage.head(storageKey!)).toBeUndefined();
  });
});
