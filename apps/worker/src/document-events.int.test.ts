/**
 * When ingestion ends, the worker tells the workspace's webhooks (`document.processed`
 * with the chunk count, `document.failed` with the readable reason), counts the document
 * and its embedded chunks in the bot's daily usage, and a failed job leaves one entry in
 * the error log.
 */
import { Readable } from "node:stream";
import { randomUUID } from "node:crypto";
import { createLogger } from "@docent/config/logger";
import { insertWebhookEndpoint } from "@docent/db/queries/webhooks";
import * as s from "@docent/db/schema";
import { createRedis } from "@docent/queue/redis";
import { createWebhookQueue } from "@docent/queue/webhooks";
import { createErrorLogWriter } from "@docent/service-kit/error-log";
import { createWebhookEmitter } from "@docent/service-kit/webhooks";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { createRig, settled, waitForDocument } from "../test/harness";
import { seedBot } from "../test/seed";

const logger = createLogger({ service: "worker-test", level: "silent" });
// The rig makes its database inside createRig, which needs the emitter and error log
// first: they use the database once it exists.
const late: { db?: Parameters<typeof createWebhookEmitter>[0]["db"] } = {};
const producer = createRedis(inject("redisUrl"), "producer");
const queue = createWebhookQueue({ connection: producer, prefix: `docent-test-${randomUUID().slice(0, 8)}` });
const lazyEmitter = {
  emit: (event: Parameters<ReturnType<typeof createWebhookEmitter>["emit"]>[0]) =>
    createWebhookEmitter({ db: late.db!, queue, logger }).emit(event),
  emitTest: async () => undefined,
  enqueue: () => {},
};
const lazyErrorLog = {
  record: (entry: Parameters<ReturnType<typeof createErrorLogWriter>["record"]>[0]) =>
    createErrorLogWriter({ db: late.db! as never, service: "worker", logger }).record(entry),
};
const rig = await createRig({ webhooks: lazyEmitter, errorLog: lazyErrorLog });
const { database, documents } = rig;
late.db = database.db;
const { bot, workspace } = await seedBot(database.db);
const endpointId = randomUUID();
await insertWebhookEndpoint(database.db, {
  id: endpointId,
  workspaceId: workspace.id,
  createdBy: null,
  url: "https://hooks.example.test/docent",
  description: "",
  eventTypes: ["document.processed", "document.failed"],
  enabled: true,
  secretCiphertext: "v1.sealed-elsewhere",
  secretHint: "whsec_test",
});

afterAll(async () => {
  await queue.close();
  producer.disconnect();
});

const deliveries = async (type: string) =>
  (await database.db.select().from(s.webhookDeliveries).where(eq(s.webhookDeliveries.endpointId, endpointId)))
    .filter((d) => d.eventType === type)
    .map((d) => d.payload as { data: Record<string, unknown> });

describe("document events", () => {
  it("sends document.processed and counts the document and its chunks", async () => {
    const doc = await documents.addText({ botId: bot.id, name: "Shipping", text: "Orders ship within two business days. ".repeat(40) });
    const row = await waitForDocument(database.sql, doc.id, settled);
    expect(row.status).toBe("PROCESSED");
    const sent = await vi.waitFor(async () => {
      const found = (await deliveries("document.processed")).filter((e) => e.data.documentId === doc.id);
      if (found.length === 0) throw new Error("no event yet");
      return found;
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toMatchObject({ botId: bot.id, name: "Shipping", chunkCount: row.chunkCount });
    const usage = await database.db.select().from(s.usageDaily).where(eq(s.usageDaily.botId, bot.id));
    const byMetric = Object.fromEntries(usage.map((u) => [u.metric, u.value]));
    expect(byMetric).toMatchObject({ documents_embedded: 1, chunks_embedded: row.chunkCount });
  });

  it("sends document.failed with the reason, and the failed job is in the error log", async () => {
    const corrupt = Buffer.concat([
      Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n"),
      Buffer.from("this is not a cross-reference table\n".repeat(20)),
      Buffer.from("trailer\n<< /Root 1 0 R >>\nstartxref\n999999\n%%EOF\n"),
    ]);
    const doc = await documents.addFile({ botId: bot.id, fileName: "broken.pdf", stream: Readable.from([corrupt]) });
    const row = await waitForDocument(database.sql, doc.id, settled);
    expect(row.status).toBe("FAILED");
    const sent = await vi.waitFor(async () => {
      const found = (await deliveries("document.failed")).filter((e) => e.data.documentId === doc.id);
      if (found.length === 0) throw new Error("no event yet");
      return found;
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toMatchObject({ botId: bot.id, error: row.errorMessage });
    const logged = await vi.waitFor(async () => {
      const rows = await database.db.select().from(s.errorLogs).where(eq(s.errorLogs.botId, bot.id));
      if (rows.length === 0) throw new Error("no entry yet");
      return rows;
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ service: "worker", operation: "job ingest-document", workspaceId: workspace.id });
    expect(logged[0]!.message).not.toMatch(/\n|node_modules/);
  });
});
