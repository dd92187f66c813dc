/**
 * The maintenance queue: periodic housekeeping run by the worker through BullMQ job
 * schedulers (one per task, upserted at start, so however many workers run, each tick
 * makes one job).
 */
import { type ConnectionOptions, Queue } from "bullmq";
import { QUEUE_NAMES } from "./jobs";

export type MaintenanceJobName = "sweep-webhooks" | "prune-error-logs";
export type MaintenanceQueue = Queue<Record<string, never>, unknown, MaintenanceJobName>;

export function createMaintenanceQueue({ connection, prefix = "docent" }: { connection: ConnectionOptions; prefix?: string }): MaintenanceQueue {
  return new Queue(QUEUE_NAMES.maintenance, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 1, removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } },
  }) as MaintenanceQueue;
}

/** Makes the task's scheduler run every `everyMs` (replacing an earlier schedule of the same task). */
export async function scheduleMaintenance(queue: MaintenanceQueue, name: MaintenanceJobName, everyMs: number): Promise<void> {
  await queue.upsertJobScheduler(name, { every: everyMs }, { name, data: {} });
}
