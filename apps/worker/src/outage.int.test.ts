/**
 * Dependency outages do not fail documents the way a bad file does. While the embedding
 * provider answers 503 or cannot be reached, or the file storage refuses connections,
 * jobs are postponed without using any of their attempts and the row says what they wait
 * for; once the dependency is back the documents are processed. An outage that outlasts
 * the deadline fails the document with the outage recorded, and the reaper processes it
 * again once the dependency answers. A corrupt file still fails after one attempt.
 *
 * The embedding provider is a local server speaking OpenAI's protocol to the real client;
 * "unreachable" and the storage outage are TCP relays switched off (@docent/testing/relay).
 */
import { Readable } from "node:stream";
import { createOpenAIEmbedder } from "@docent/embeddings";
import { createS3Storage } from "@docent/storage";
import { startTcpRelay, targetOf, type TcpRelay } from "@docent/testing/relay";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddingServer } from "../test/embedding-server";
import { longMarkdown } from "../test/fixtures";
import { createRig, finishedJob, settled, waitForDocument } from "../test/harness";
import { seedBot } from "../test/seed";
import { reapStuckDocuments } from "./reaper";

const provider = await startEmbeddingServer();
const providerRelay = await startTcpRelay({ host: "127.0.0.1", port: provider.port });
afterAll(async () => {
  await providerRelay.close();
  await provider.close();
});
const embedder = createOpenAIEmbedder({
  baseURL: providerRelay.urlFor(provider.baseUrl),
  apiKey: "sk-test",
  model: "test-embed",
  provider: "openai_compatible",
  maxRetries: 0,
  timeoutMs: 5000,
});

async function jobOf(queue: Awaited<ReturnType<typeof createRig>>["queue"], documentId: string) {
  const job = await queue.getJob(`${documentId}-v1`);
  if (!job) throw new Error(`no job for ${documentId}`);
  return job;
}

/** Run more than once, yet only the successful run counts as an attempt (BullMQ counts it). */
async function expectNoAttemptSpent(queue: Awaited<ReturnType<typeof createRig>>["queue"], documentId: string) {
  // The document row commits before BullMQ records the job as completed.
  const job = await finishedJob(queue, documentId);
  expect(await job.getState()).toBe("completed");
  expect(job.attemptsStarted).toBeGreaterThan(1);
  expect(job.attemptsMade).toBe(1);
}

describe("while a dependency is down", async () => {
  const rig = await createRig({ embedder, concurrency: 4 });
  // The worker reads originals through a relay it can lose; uploads go straight to S3.
  let storageRelay!: TcpRelay;
  const storageRig = await createRig({
    embedder,
    workerStorage: async (s3) => {
      storageRelay = await startTcpRelay(targetOf(s3.endpoint, 80));
      const storage = createS3Storage({
        bucket: s3.bucket,
        region: "us-east-1",
        endpoint: storageRelay.urlFor(s3.endpoint),
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        forcePathStyle: true,
      });
      afterAll(async () => {
        storage.close();
        await storageRelay.close();
      });
      return storage;
    },
  });

  it("an embedding provider answering 503 postpones documents without using their attempts", async () => {
    const { bot } = await seedBot(rig.database.db);
    provider.failWith(503);
    const docs = await Promise.all(
      [1, 2, 3].map((n) =>
        rig.documents.addText({ botId: bot.id, name: `note ${n}`, text: `${longMarkdown(2)}\n\nNote number ${n}.` }),
      ),
    );
    for (const doc of docs) {
      const waiting = await waitForDocument(rig.database.sql, doc.id, (r) => /Waiting for the embedding provider/.test(r.errorMessage ?? ""));
      expect(waiting.status).toBe("PROCESSING");
    }
    // Postponed at least once each, and no attempt spent.
    const fewestPostponements = async () => {
      const jobs = await Promise.all(docs.map((doc) => jobOf(rig.queue, doc.id)));
      return Math.min(...jobs.map((job) => (job.data as { outage?: { retries: number } }).outage?.retries ?? 0));
    };
    await expect.poll(fewestPostponements, { timeout: 20_000, message: "a postponement of every job" }).toBeGreaterThanOrEqual(1);
    provider.failWith(null);
    for (const doc of docs) {
      const row = await waitForDocument(rig.database.sql, doc.id, settled, 30_000);
      expect(row.status).toBe("PROCESSED");
      expect(row.errorMessage).toBeNull();
      await expectNoAttemptSpent(rig.queue, doc.id);
    }
  });

  it("a corrupt file still fails after one attempt with its reason while the provider is down", async () => {
    const { bot } = await seedBot(rig.database.db);
    await providerRelay.off();
    try {
      const corrupt = Buffer.concat([
        Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n"),
        Buffer.from("this is not a cross-reference table\n".repeat(20)),
        Buffer.from("trailer\n<< /Root 1 0 R >>\nstartxref\n999999\n%%EOF\n"),
      ]);
      const doc = await rig.documents.addFile({ botId: bot.id, fileName: "broken.pdf", stream: Readable.from([corrupt]) });
      const row = await waitForDocument(rig.database.sql, doc.id, settled);
      expect(row.status).toBe("FAILED");
      expect(row.errorMessage).toMatch(/pdf/i);
      const job = await jobOf(rig.queue, doc.id);
      expect(job.attemptsMade).toBe(1);
    } finally {
      await providerRelay.on();
    }
  });

  it("a storage outage postpones documents without using their attempts", async () => {
    const { bot } = await seedBot(storageRig.database.db);
    await storageRelay.off();
    const doc = await storageRig.documents.addText({ botId: bot.id, name: "stored", text: longMarkdown(2) });
    try {
      await waitForDocument(storageRig.database.sql, doc.id, (r) =>
        /Waiting for the file storage/.test(r.errorMessage ?? ""),
      );
    } finally {
      await storageRelay.on();
    }
    const row = await waitForDocument(storageRig.database.sql, doc.id, settled, 30_000);
    expect(row.status).toBe("PROCESSED");
    await expectNoAttemptSpent(storageRig.queue, doc.id);
  });
});

describe("an outage past the deadline", async () => {
  const rig = await createRig({ embedder, outageDeadlineMs: 1000 });

  it("fails the document naming the outage, and the reaper processes it again once the provider answers", async () => {
    const { bot } = await seedBot(rig.database.db);
    await providerRelay.off();
    let doc;
    try {
      doc = await rig.documents.addText({ botId: bot.id, name: "late", text: longMarkdown(2) });
      const failed = await waitForDocument(rig.database.sql, doc.id, settled, 30_000);
      expect(failed.status).toBe("FAILED");
      expect(failed.errorMessage).toMatch(/embedding provider was unreachable.*processed again automatically/);
      const [marked] = await rig.database.sql<{ outage: string | null }[]>`
        select outage_dependency as outage from bot_documents where id = ${doc.id}`;
      expect(marked?.outage).toBe("embedding");
      // Still down: the reaper leaves it alone.
      expect((await reapStuckDocuments(rig.reaperDeps({ embedderFor: async () => embedder }))).retried).toBe(0);
    } finally {
      await providerRelay.on();
    }
    expect((await reapStuckDocuments(rig.reaperDeps({ embedderFor: async () => embedder }))).retried).toBe(1);
    const [retrying] = await rig.database.sql<{ status: string; errorMessage: string }[]>`
      select status, error_message as "errorMessage" from bot_documents where id = ${doc.id}`;
    expect(retrying?.errorMessage).toMatch(/embedding provider answers again/);
    const row = await waitForDocument(rig.database.sql, doc.id, (r) => r.status === "PROCESSED", 30_000);
    expect(row.chunkCount).toBeGreaterThan(0);
    const [usage] = await rig.database.sql<{ jobs: number }[]>`
      select processing_jobs as jobs from usage_counters where workspace_id = ${bot.workspaceId}`;
    expect(usage?.jobs).toBe(1);
  });
});
