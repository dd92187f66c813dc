/**
 * Feedback on an answer: thumbs up/down and/or 1-5 stars with an optional comment; one per
 * answer, editable, by whoever may see the answer.
 */
import type { Database } from "@docent/db/client";
import { getQueryLogByMessage, upsertFeedback } from "@docent/db/queries/analytics";
import { getMessageWithBot } from "@docent/db/queries/messages";
import { getBotContext } from "@docent/db/queries/documents";
import { NotFoundError } from "@docent/service-kit/errors";
import { isNegativeRating, type WebhookEmitter } from "@docent/service-kit/webhooks";

export function createFeedbackService({ db, webhooks }: { db: Database; webhooks?: WebhookEmitter }) {
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
    // This call's rating: an event per negative rating given, not per later edit of another value.
    await notifyRating({ messageId, thumbs: input.rating ?? null, stars: input.stars ?? null, comment: saved.comment });
    return { messageId, rating: saved.rating, stars: saved.stars, comment: saved.comment, updatedAt: saved.updatedAt };
  }

  /**
   * `message.rated` for negative ratings only (thumbs down, or 1-2 stars where a rating
   * has stars); call it after saving any rating.
   */
  async function notifyRating(rating: { messageId: string; thumbs?: 1 | -1 | null; stars?: number | null; comment: string | null }) {
    if (!webhooks || !isNegativeRating(rating)) return;
    const found = await getMessageWithBot(db, rating.messageId);
    const bot = found && (await getBotContext(db, found.botId));
    if (!found || !bot) return;
    await webhooks.emit({
      workspaceId: bot.workspaceId,
      type: "message.rated",
      data: {
        messageId: rating.messageId,
        botId: found.botId,
        conversationId: found.message.conversationId,
        thumbs: rating.thumbs ?? null,
        stars: rating.stars ?? null,
        comment: rating.comment,
      },
    });
  }

  return { loadAnswer, save, notifyRating };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
