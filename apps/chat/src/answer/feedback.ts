/**
 * Feedback on an answer: thumbs up/down and/or 1-5 stars with an optional comment; one per
 * answer, editable, by whoever may see the answer.
 */
import type { Database } from "@docent/db/client";
import { getQueryLogByMessage, upsertFeedback } from "@docent/db/queries/analytics";
import { getMessageWithBot } from "@docent/db/queries/messages";
import { NotFoundError } from "@docent/service-kit/errors";

export function createFeedbackService({ db }: { db: Database }) {
  /** The answer's bot and visitor, for the caller to authorise before `save`. */
  async function loadAnswer(messageId: string) {
    const found = await getMessageWithBot(db, messageId);
    if (!found || found.message.role !== "ASSISTANT") throw new NotFoundError("Message");
    return found;
  }

  /** Sets what `input` gives; a thumbs-only call keeps earlier stars and the other way round; the comment is always the call's. */
  async function save(messageId: string, input: { rating?: 1 | -1; stars?: number; comment?: string | null }) {
    const log = await getQueryLogByMessage(db, messageId);
    if (!log) throw new NotFoundError("Message");
    const saved = await upsertFeedback(db, {
      queryLogId: log.id,
      ...(input.rating !== undefined ? { rating: input.rating } : {}),
      ...(input.stars !== undefined ? { stars: input.stars } : {}),
      comment: input.comment || null,
    });
    return { messageId, rating: saved.rating, stars: saved.stars, comment: saved.comment, updatedAt: saved.updatedAt };
  }

  return { loadAnswer, save };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
