/**
 * The worker's Prometheus metrics, served on its ops server (`/metrics`): the ingest
 * queue's job counts by state (read from Redis at each scrape, so every worker reports the
 * same queue: aggregate with max), job attempts by outcome and their duration, the time
 * each pipeline stage takes, chunks embedded or reused, and embedding calls.
 */
import { QUEUE_NAMES } from "@docent/queue/jobs";
import { createEmbeddingMetrics, DURATION_BUCKETS, type Registry } from "@docent/service-kit/metrics";
import type { Queue } from "bullmq";
import { Counter, Gauge, Histogram } from "prom-client";

/** What one job attempt came to (see processors/base.ts). */
export type JobOutcome =
  | "processed"
  | "skipped"
  | "failed"
  | "retried"
  | "postponed"
  | "released"
  | "lock_lost";

/** Pipeline stages of one document (see processors/ingest-document.ts). */
export type IngestStage = "download" | "extract" | "embed" | "store";

const STATES = ["waiting", "active", "delayed", "prioritized", "failed", "completed"] as const;
/** Jobs can run for minutes; the top buckets cover a large PDF. */
const JOB_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const SCRAPE_TIMEOUT_MS = 2000;

export interface WorkerMetrics {
  job(outcome: JobOutcome, seconds: number): void;
  stage(stage: IngestStage, seconds: number): void;
  chunks(embedded: number, reused: number): void;
  embedder<E extends Parameters<ReturnType<typeof createEmbeddingMetrics>["instrument"]>[0]>(embedder: E): E;
}

export function createWorkerMetrics(registry: Registry, queue: Pick<Queue, "getJobCounts">): WorkerMetrics {
  const scrapeErrors = new Counter({
    name: "docent_queue_scrape_errors_total",
    help: "Scrapes that could not read the queue's job counts from Redis (the counts are then left out)",
    registers: [registry],
  });
  new Gauge({
    name: "docent_queue_jobs",
    help: "Jobs in the queue by state (waiting, active, delayed, prioritized, failed, completed), read from Redis at each scrape",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      let timer: NodeJS.Timeout | undefined;
      try {
        const counts = await Promise.race([
          queue.getJobCounts(...STATES),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error("timeout")), SCRAPE_TIMEOUT_MS);
          }),
        ]);
        for (const state of STATES) this.set({ queue: QUEUE_NAMES.ingest, state }, counts[state] ?? 0);
      } catch {
        scrapeErrors.inc();
      } finally {
        clearTimeout(timer);
      }
    },
  });
  const jobs = new Counter({
    name: "docent_ingest_jobs_total",
    help: "Ingest job attempts by outcome: processed, skipped (stale or deleted), failed (for good), retried, postponed (a dependency was down), released (shutdown), lock_lost",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: "docent_ingest_job_duration_seconds",
    help: "Duration of one ingest job attempt, by outcome",
    labelNames: ["outcome"] as const,
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  const stages = new Histogram({
    name: "docent_ingest_stage_duration_seconds",
    help: "Time one document spends in each stage: download (storage or URL), extract (parse; a PDF is opened, its pages read while embedding), embed (embedding calls), store (the commit)",
    labelNames: ["stage"] as const,
    buckets: [...DURATION_BUCKETS, 300, 600, 1800],
    registers: [registry],
  });
  const chunks = new Counter({
    name: "docent_ingest_chunks_total",
    help: "Chunks stored, by source: embedded, or reused (unchanged text whose vector was kept on re-index)",
    labelNames: ["source"] as const,
    registers: [registry],
  });
  const embedding = createEmbeddingMetrics(registry);
  return {
    job(outcome, seconds) {
      jobs.inc({ outcome });
      jobDuration.observe({ outcome }, seconds);
    },
    stage(stage, seconds) {
      stages.observe({ stage }, seconds);
    },
    chunks(embedded, reused) {
      if (embedded) chunks.inc({ source: "embedded" }, embedded);
      if (reused) chunks.inc({ source: "reused" }, reused);
    },
    embedder: (embedder) => embedding.instrument(embedder),
  };
}
