/**
 * The workspace plan's bounds on one document: pages of a PDF, and processing time per
 * attempt. Both fail the document with a reason that names the limit and the plan.
 */
import { limitReachedMessage } from "@docent/db/limits";
import type { ProcessingLimits } from "@docent/db/queries/usage";
import { PermanentDocumentError } from "./errors";

export function tooManyPages(pages: number, plan: ProcessingLimits): PermanentDocumentError {
  return new PermanentDocumentError(
    `The PDF has ${pages.toLocaleString("en-US")} pages. ${limitReachedMessage("pdfPages", plan.maxPdfPages, plan.planName)} ` +
      "Split it into smaller files, or move to a plan with a higher limit.",
  );
}

export function tooSlow(plan: ProcessingLimits, cause: unknown): PermanentDocumentError {
  return new PermanentDocumentError(
    `Processing stopped after ${plan.maxDocProcessingSeconds.toLocaleString("en-US")} s. ` +
      `${limitReachedMessage("processingSeconds", plan.maxDocProcessingSeconds, plan.planName)} ` +
      "Split it into smaller files, or move to a plan with a higher limit.",
    { cause },
  );
}

/** Stops the attempt at the plan's processing time; undefined when no plan applies. */
export function processingDeadline(plan: ProcessingLimits | null): AbortSignal | undefined {
  return plan ? AbortSignal.timeout(plan.maxDocProcessingSeconds * 1000) : undefined;
}
