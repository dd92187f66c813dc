/**
 * Plan limits the documents service enforces: file size, documents per bot, total
 * stored bytes per workspace, processing jobs per month. The service only sees this
 * interface; `createPlanLimits` implements it with the shared queries of
 * @docent/db/queries/usage (the workspace's live subscription, or the free plan).
 */
import type { Executor } from "@docent/db/client";
import {
  assertWithinLimit,
  getCurrentPlan,
  lockWorkspaceQuota,
  planLimits,
  QuotaExceededError,
} from "@docent/db/queries/usage";
import { PaymentRequiredError } from "@docent/service-kit/errors";

/** The largest upload a workspace may add, and the plan that says so (for the error message). */
export interface FileSizeLimit {
  bytes: number;
  planName?: string;
}

export interface DocumentLimits {
  /** Largest single upload accepted for the workspace. */
  maxFileBytes(db: Executor, workspaceId: string): Promise<FileSizeLimit>;
  /**
   * Throws a 402 (QUOTA_EXCEEDED) when one more document of `sizeBytes` would exceed the
   * plan. Called before reading an upload and again inside the insert transaction.
   */
  assertCanAddDocument(
    db: Executor,
    input: { workspaceId: string; botId: string; sizeBytes: number },
  ): Promise<void>;
  /** Throws a 402 when `jobs` more processing jobs exceed this month's quota. */
  assertCanProcess(db: Executor, workspaceId: string, jobs: number): Promise<void>;
}

/** For tests and self-hosted installs without plans. */
export const unlimitedLimits: DocumentLimits = {
  maxFileBytes: async () => ({ bytes: Number.MAX_SAFE_INTEGER }),
  assertCanAddDocument: async () => {},
  assertCanProcess: async () => {},
};

/**
 * The shared quota error (402) with the details the documents routes have always sent
 * (limit, max, current; the error handler's generic mapping would add the plan).
 */
async function asPaymentRequired(check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    if (error instanceof QuotaExceededError) {
      throw new PaymentRequiredError(error.message, {
        details: { limit: error.limit, max: error.max, current: error.current },
      });
    }
    throw error;
  }
}

/**
 * Limits from the workspace's plan, through the same `usage` queries the API and chat
 * service use. `assertCanAddDocument` takes the workspace quota lock, so within the
 * caller's transaction two uploads cannot both take the last slot.
 */
export function createPlanLimits(): DocumentLimits {
  return {
    async maxFileBytes(db, workspaceId) {
      const plan = await getCurrentPlan(db, workspaceId);
      // No limit on the plan: the API's DOCUMENT_UPLOAD_MAX_BYTES still bounds the upload.
      return { bytes: planLimits(plan).fileSize ?? Number.MAX_SAFE_INTEGER, planName: plan.name };
    },
    async assertCanAddDocument(db, { workspaceId, botId, sizeBytes }) {
      await lockWorkspaceQuota(db, workspaceId);
      await asPaymentRequired(() => assertWithinLimit(db, { workspaceId, limit: "documentsPerBot", botId }));
      await asPaymentRequired(() => assertWithinLimit(db, { workspaceId, limit: "storage", amount: sizeBytes }));
    },
    async assertCanProcess(db, workspaceId, jobs) {
      await asPaymentRequired(() =>
        assertWithinLimit(db, { workspaceId, limit: "processingJobsPerMonth", amount: jobs }),
      );
    },
  };
}
