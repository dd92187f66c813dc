/** Thumbs up/down on an answer: one per answer, editable, by whoever may see the answer. */
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

  async function save(messageId: string, rating: 1 | -1, comment: string | null) {
    const log = await getQueryLogByMessage(db, messageId);
    if (!log) throw new NotFoundError("Message");
    const saved = await upsertFeedback(db, { queryLogId: log.id, rating, comment });
    return { messageId, rating: saved.rating, comment: saved.comment, updatedAt: saved.updatedAt };
  }

  return { loadAnswer, save };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
