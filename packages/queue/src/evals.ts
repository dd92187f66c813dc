/**
 * The evaluation-run queue: the chat service enqueues a run when an admin asks for one and
 * consumes it (retrieval runs there), so its options live here with the ingest queue's.
 */
import { type ConnectionOptions, type DefaultJobOptions, Queue, type WorkerOptions } from "bullmq";
import { type EvalRunPayload, jobPayloadSchemas, QUEUE_NAMES } from "./jobs";

export type EvalQueue = Queue<EvalRunPayload, unknown, "eval-run">;

export const evalJobOptions: DefaultJobOptions = {
  // A run meets transient failures (a database restart) rarely; two more tries, a minute
  // apart, then the run is marked FAILED with the reason. Failures of the run itself (an
  // empty set, a deleted document) are UnrecoverableError and fail at once.
  attempts: 3,
  backoff: { type: "exponential", delay: 30_000 },
  // The eval_runs row is the record; jobs are only plumbing.
  removeOnComplete: { age: 3600, count: 100 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
};

export function evalWorkerOptions(concurrency: number): Omit<WorkerOptions, "connection" | "prefix"> {
  return {
    concurrency,
    // A run renews its lock between questions; 60 s covers the slowest single retrieval.
    lockDuration: 60_000,
    stalledInterval: 30_000,
    // A run that crashes its process twice is failed rather than retried forever.
    maxStalledCount: 2,
    autorun: false,
  };
}

export function createEvalQueue({ connection, prefix = "docent" }: { connection: ConnectionOptions; prefix?: string }): EvalQueue {
  return new Queue(QUEUE_NAMES.evals, { connection, prefix, defaultJobOptions: evalJobOptions }) as EvalQueue;
}

/** One job per run (its id is the run's), so a double submit makes one job. */
export async function enqueueEvalRun(queue: EvalQueue, payload: EvalRunPayload): Promise<void> {
  const data = jobPayloadSchemas["eval-run"].parse(payload);
  await queue.add("eval-run", data, { jobId: `eval-${data.runId}` });
}
