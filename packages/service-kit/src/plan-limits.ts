/**
 * Plan limits as errors: `findLimitBreach` (@docent/db/queries/usage) says whether an
 * action would pass the workspace's plan; here that becomes the one QUOTA_EXCEEDED error
 * (402) every service answers, its message naming the limit in words and `details` naming
 * it for programs.
 */
import type { Executor } from "@docent/db/client";
import { findLimitBreach, type LimitBreach } from "@docent/db/queries/usage";
import { AppError } from "./errors";

export class QuotaExceededError extends AppError {
  readonly breach: LimitBreach;

  constructor(breach: LimitBreach) {
    super(breach.message, {
      code: "QUOTA_EXCEEDED",
      details: { limit: breach.limit, max: breach.max, current: breach.current, plan: breach.planName },
    });
    this.breach = breach;
  }
}

/** Throws QuotaExceededError when the action would pass the plan's limit (see findLimitBreach). */
export async function assertWithinLimit(db: Executor, params: Parameters<typeof findLimitBreach>[1]): Promise<void> {
  const breach = await findLimitBreach(db, params);
  if (breach) throw new QuotaExceededError(breach);
}
