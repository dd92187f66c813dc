/**
 * The chat process consumes the evaluation queue: runs need the retrieval, reranking and
 * embedder configuration that live here, so a run measures exactly what answers use
 * (the ingest worker has none of it and scales for another load). EVAL_WORKER_CONCURRENCY
 * runs at a time per replica (0: this replica only answers).
 *
 * On SIGTERM a run in progress stops between two questions and goes back to the queue
 * (delayed, without using an attempt), so shutdown never waits for a long run; another
 * replica, or this one after its restart, runs it again from the start.
 */
import type { Logger } from "@docent/config/logger";
import { failRun, requeueRun } from "@docent/db/queries/evals";
import { type EvalRunPayload, evalWorkerOptions, jobPayloadSchemas, QUEUE_NAMES } from "@docent/queue";
import { normalizeError } from "@docent/http-kit/error-handler";
import { DependencyUnavailableError } from "@docent/service-kit/errors";
import { DelayedError, type Job, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { type EvalRunnerDeps, executeRun, RunError, RunInterrupted } from "./runner";

export interface EvalWorker {
  close(): Promise<void>;
}

export function startEvalWorker(opts: {
  connection: Redis;
  prefix: string;
  concurrency: number;
  runner: EvalRunnerDeps;
  logger: Logger;
}): EvalWorker {
  const { runner, logger } = opts;
  const stopping = new AbortController();

  async function process(job: Job<EvalRunPayload>, token?: string) {
    const { runId } = jobPayloadSchemas["eval-run"].parse(job.data);
    const log = logger.child({ runId, jobId: job.id, attempt: job.attemptsMade + 1 });
    try {
      await executeRun(runner, runId, stopping.signal);
    } catch (error) {
      if (error instanceof RunInterrupted) {
        await requeueRun(runner.db, runId);
        await job.moveToDelayed(Date.now() + 1_000, token);
        log.info("evaluation run handed back to the queue (shutting down)");
        throw new DelayedError();
      }
      if (error instanceof RunError) {
        log.info({ reason: error.message }, "evaluation run failed");
        await failRun(runner.db, runId, error.message);
        throw new UnrecoverableError(error.message);
      }
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const normal = normalizeError(error);
      const outage = normal instanceof DependencyUnavailableError ? normal.dependency : undefined;
      log.warn({ err: error, outage, last }, "evaluation run attempt failed");
      await (last
        ? failRun(runner.db, runId, outage ? `The ${outage} was unavailable or too slow; run the set again.` : "The run failed unexpectedly; run the set again.")
        : requeueRun(runner.db, runId)
      ).catch((e: unknown) => log.warn({ err: e }, "could not record the run's state"));
      throw error;
    }
  }

  const worker = new Worker<EvalRunPayload, void, "eval-run">(QUEUE_NAMES.evals, process, {
    connection: opts.connection,
    prefix: opts.prefix,
    ...evalWorkerOptions(opts.concurrency),
  });
  worker.on("error", (error) => logger.warn({ err: error }, "evaluation worker error"));
  void worker.run().catch((error: unknown) => logger.error({ err: error }, "evaluation worker stopped"));
  return {
    async close() {
      stopping.abort();
      await worker.close();
    },
  };
}
