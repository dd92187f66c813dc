/**
 * What an operator follows a document by, on real Postgres, Redis and an S3-protocol
 * server: every log line of an ingest job carries the id of the HTTP request that queued
 * it (so a failed document leads back to its upload), and the ops server's /metrics (behind
 * METRICS_TOKEN) reports the queue's job counts, attempts by outcome, stage durations,
 * chunks and embedding calls, with no tenant's ids.
 */
import { Readable } from "node:stream";
import { createLogger } from "@docent/config/logger";
import { createMetricsRegistry } from "@docent/service-kit/metrics";
import { metricValue } from "@docent/testing/metrics";
import { afterAll, describe, expect, it } from "vitest";
import * as fixtures from "../test/fixtures";
import { createRig, settled, waitForDocument } from "../test/harness";
import { seedBot } from "../test/seed";
import { startOpsServer } from "./ops-server";

const lines: Record<string, unknown>[] = [];
const logger = createLogger({
  service: "worker-test",
  level: "debug",
  destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
});
const registry = createMetricsRegistry({ service: "worker" });
const rig = await createRig({ logger, metrics: registry });
const { bot, workspace } = await seedBot(rig.database.db);
const token = "worker-metrics-token-0123";
const ops = await startOpsServer({
  host: "127.0.0.1",
  port: 0,
  isShuttingDown: () => false,
  checks: {},
  metrics: { registry, token },
});
afterAll(() => ops.close());

async function upload(fileName: string, bytes: Buffer | string, requestId: string) {
  const doc = await rig.documents.addFile({ botId: bot.id, fileName, stream: Readable.from([Buffer.from(bytes)]), requestId });
  return { doc, row: await waitForDocument(rig.database.sql, doc.id, settled) };
}

describe("following a document from its request", () => {
  const ok = { requestId: "req-upload-ok-0001" };
  const bad = { requestId: "req-upload-bad-0002" };
  let okId = "";
  let badId = "";

  it("puts the upload's request id on every log line of its job, a failed one included", async () => {
    const processed = await upload("kitchen.md", fixtures.markdown, ok.requestId);
    expect(processed.row.status).toBe("PROCESSED");
    const failed = await upload("blank.pdf", await fixtures.makePdf([""]), bad.requestId);
    expect(failed.row.status).toBe("FAILED");
    okId = processed.doc.id;
    badId = failed.doc.id;
    // The worker's last lines for a job may follow the status change by a moment.
    await expect.poll(() => lines.filter((l) => l.msg === "job failed").length).toBe(1);

    for (const [documentId, requestId] of [[okId, ok.requestId], [badId, bad.requestId]] as const) {
      const jobLines = lines.filter((l) => l.documentId === documentId || String(l.jobId ?? "").startsWith(documentId));
      expect(jobLines.length).toBeGreaterThanOrEqual(3);
      for (const line of jobLines) expect(line, JSON.stringify(line)).toMatchObject({ requestId });
    }
    const failure = lines.find((l) => l.msg === "job failed")!;
    expect(failure).toMatchObject({ requestId: bad.requestId, documentId: badId, final: true });
    expect(lines.find((l) => l.msg === "document processed")).toMatchObject({ requestId: ok.requestId, documentId: okId });
  });

  it("reports the queue, the attempts, the stages and the embedding calls at /metrics", async () => {
    const url = `http://127.0.0.1:${ops.port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${ops.port}/healthz`)).status).toBe(200);
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    const value = (name: string, labels: Record<string, string> = {}) => metricValue(text, name, { service: "worker", ...labels });

    expect(value("docent_queue_jobs", { queue: "docent-ingest", state: "completed" })).toBe(1);
    expect(value("docent_queue_jobs", { queue: "docent-ingest", state: "failed" })).toBe(1);
    expect(value("docent_queue_jobs", { queue: "docent-ingest", state: "waiting" })).toBe(0);
    expect(value("docent_queue_jobs", { queue: "docent-ingest", state: "active" })).toBe(0);
    expect(value("docent_ingest_jobs_total", { outcome: "processed" })).toBe(1);
    expect(value("docent_ingest_jobs_total", { outcome: "failed" })).toBe(1);
    expect(value("docent_ingest_job_duration_seconds_count", { outcome: "processed" })).toBe(1);
    for (const stage of ["download", "extract", "embed"]) {
      expect(value("docent_ingest_stage_duration_seconds_count", { stage }), stage).toBe(2);
    }
    // Only the processed document reached its commit.
    expect(value("docent_ingest_stage_duration_seconds_count", { stage: "store" })).toBe(1);
    expect(value("docent_ingest_chunks_total", { source: "embedded" })).toBeGreaterThanOrEqual(1);
    expect(value("docent_embedding_requests_total", { provider: "local", outcome: "ok" })).toBe(rig.counts.calls);
    expect(value("docent_embedding_texts_total", { provider: "local" })).toBe(rig.counts.texts);
    for (const secret of [okId, badId, bot.id, workspace.id, ok.requestId, "kitchen.md"]) expect(text).not.toContain(secret);
  });
});
