/**
 * Work a service starts and does not wait for (a mail, a search's log row, re-packing
 * keyword postings): a task that fails is logged, never thrown at anyone, and `settled()`
 * resolves once every task started so far has finished, so a shutdown can wait for them
 * before it closes what they use (the database, an SMTP transport).
 */
import type { Logger } from "@docent/config/logger";

export interface BackgroundFailure {
  /** The log line when the task fails. */
  message: string;
  /** Fields logged with it (never secrets). */
  context?: Record<string, unknown>;
  /** "error" (default) when the failure loses something; "warn" when it only costs speed. */
  level?: "warn" | "error";
}

export type BackgroundWork = ReturnType<typeof createBackgroundWork>;

export function createBackgroundWork(logger?: Logger) {
  const running = new Set<Promise<void>>();
  return {
    /** Starts `task` now, without waiting for it. */
    start(task: () => Promise<unknown>, failure: BackgroundFailure): void {
      // An async wrapper: a task that throws before its first await is caught the same way.
      const done: Promise<void> = (async () => {
        await task();
      })()
        .catch((err: unknown) => logger?.[failure.level ?? "error"]({ err, ...failure.context }, failure.message))
        .finally(() => running.delete(done));
      running.add(done);
    },
    /** Resolves once every task started so far has finished (failed ones included). */
    async settled(): Promise<void> {
      await Promise.all([...running]);
    },
  };
}
