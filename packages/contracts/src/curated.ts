/**
 * Curated answers (an admin's answer to a question, given instead of a generated one when
 * a later question is close enough) and the unanswered-questions inbox they are written from.
 */
import { z } from "zod";
import { nullableTimestamp, pageOf, pageQuerySchema, timestamp, uuid } from "./common";
import { ANALYTICS_MAX_DAYS } from "./analytics";

export const CURATED_QUESTION_MAX_CHARS = 2_000;
export const CURATED_ANSWER_MAX_CHARS = 10_000;

const question = z
  .string()
  .trim()
  .min(1, "question must not be empty")
  .max(CURATED_QUESTION_MAX_CHARS, `question must be at most ${CURATED_QUESTION_MAX_CHARS} characters`);
const answer = z
  .string()
  .trim()
  .min(1, "answer must not be empty")
  .max(CURATED_ANSWER_MAX_CHARS, `answer must be at most ${CURATED_ANSWER_MAX_CHARS} characters`);

export const curatedAnswerSchema = z
  .object({
    id: uuid,
    botId: uuid,
    question: z.string(),
    answer: z.string(),
    enabled: z.boolean(),
    hitCount: z.number().int().min(0).describe("Questions this curated answer has answered."),
    lastHitAt: nullableTimestamp,
    embeddingModel: z.string().describe("The embedder of its question; questions embedded by another model never match it."),
    createdBy: uuid.nullable(),
    updatedBy: uuid.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("CuratedAnswer");
export type CuratedAnswerDto = z.infer<typeof curatedAnswerSchema>;

export const curatedAnswerPageSchema = pageOf(curatedAnswerSchema).describe("CuratedAnswerPage");

export const curatedAnswerParamsSchema = z.object({ botId: uuid, curatedAnswerId: uuid });

export const listCuratedAnswersQuerySchema = pageQuerySchema;

export const createCuratedAnswerBodySchema = z.strictObject({
  question,
  answer,
  enabled: z.boolean().default(true),
  /**
   * The inbox questions this answer handles (an inbox group's `queryLogIds`): they are
   * marked handled in the same transaction.
   */
  handlesQueryLogIds: z.array(uuid).max(1_000).optional(),
});

export const updateCuratedAnswerBodySchema = z
  .strictObject({ question: question.optional(), answer: answer.optional(), enabled: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, { message: "give question, answer or enabled" });

const day = z.iso.date().describe("UTC calendar day, YYYY-MM-DD.");

export const inboxQuerySchema = z
  .strictObject({
    from: day.describe("First UTC day, inclusive."),
    to: day.describe("Last UTC day, inclusive."),
    /** Cosine similarity two questions need to fall into one group (0-1). */
    similarity: z.coerce.number().min(0).max(1).default(0.5),
  })
  .refine((q) => q.from <= q.to, { message: "from must not be after to", path: ["from"] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < ANALYTICS_MAX_DAYS, {
    message: `the range may cover at most ${ANALYTICS_MAX_DAYS} days`,
    path: ["to"],
  });

export const inboxReasons = ["refused", "no_good_source", "rated_down"] as const;

export const inboxResponseSchema = z
  .object({
    groups: z.array(
      z.object({
        /** Every question of the group: pass them to "mark handled" or a new curated answer. */
        queryLogIds: z.array(uuid),
        count: z.number().int().min(1),
        /** Up to five distinct questions, most recent first. */
        examples: z.array(z.string()),
        lastSeenAt: timestamp,
        reasons: z.array(z.enum(inboxReasons)),
      }),
    ),
    /** Open questions considered (the most recent ones when there are more than the limit). */
    questions: z.number().int().min(0),
    truncated: z.boolean(),
  })
  .describe("UnansweredInbox");
export type InboxDto = z.infer<typeof inboxResponseSchema>;

export const markHandledBodySchema = z.strictObject({
  queryLogIds: z.array(uuid).min(1, "queryLogIds must name at least one question").max(1_000),
});
export const markHandledResponseSchema = z.object({ handled: z.number().int().min(0) }).describe("InboxHandled");
