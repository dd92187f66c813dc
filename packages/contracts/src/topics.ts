/** Conversation topics per bot: definitions, settings, suggestions and daily series (issue #17). */
import { z } from "zod";
import { analyticsQuerySchema } from "./analytics";
import { timestamp, uuid } from "./common";

export const TOPIC_NAME_MAX = 80;
export const TOPIC_MAX_EXAMPLES = 20;
export const TOPIC_EXAMPLE_MAX = 500;
export const TOPIC_DESCRIPTION_MAX = 2_000;
/** Questions of the last this many days are re-assigned when a topic changes. */
export const TOPIC_REASSIGN_DAYS = 30;

const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "color must be a hex colour like #1a7f5a")
  .transform((c) => c.toLowerCase());

export const topicBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(TOPIC_NAME_MAX),
  color,
  description: z.string().trim().max(TOPIC_DESCRIPTION_MAX).default(""),
  examples: z
    .array(z.string().trim().min(1).max(TOPIC_EXAMPLE_MAX))
    .max(TOPIC_MAX_EXAMPLES, `at most ${TOPIC_MAX_EXAMPLES} example questions`)
    .default([]),
})
  .refine((t) => t.description.length > 0 || t.examples.length > 0, {
    message: "a topic needs a description or at least one example question",
    path: ["examples"],
  });
export type TopicBody = z.infer<typeof topicBodySchema>;

export const topicSchema = z
  .object({
    id: uuid,
    botId: uuid,
    name: z.string(),
    color: z.string(),
    description: z.string(),
    examples: z.array(z.string()),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("Topic");
export type TopicDto = z.infer<typeof topicSchema>;

export const topicWriteResponseSchema = z.object({
  topic: topicSchema,
  /** Questions of the last TOPIC_REASSIGN_DAYS days whose topic was recomputed. */
  reassigned: z.number().int().min(0),
});

export const topicListSchema = z.object({ items: z.array(topicSchema), threshold: z.number() });

export const topicParamsSchema = z.object({ botId: uuid, topicId: uuid });

export const topicSettingsSchema = z.strictObject({
  threshold: z.number().min(0).max(1).describe("Least cosine similarity for a question to get a topic."),
});

export const suggestionsQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(90).default(30),
});

export const topicSuggestionsSchema = z.object({
  /** Unassigned questions considered (the most recent, capped). */
  considered: z.number().int().min(0),
  suggestions: z.array(
    z.object({
      size: z.number().int().min(2),
      terms: z.array(z.string()),
      examples: z.array(z.string()),
      /** A ready body for POST .../topics: the one-click "create topic". */
      proposal: z.object({ name: z.string(), color: z.string(), description: z.string(), examples: z.array(z.string()) }),
    }),
  ),
});

export const topicSeriesQuerySchema = analyticsQuerySchema;

export const topicSeriesSchema = z.object({
  topics: z.array(
    z.object({
      topicId: uuid,
      name: z.string(),
      color: z.string(),
      daily: z.array(
        z.object({
          date: z.iso.date(),
          messages: z.number().int(),
          conversations: z.number().int(),
          thumbsUp: z.number().int(),
          thumbsDown: z.number().int(),
          avgRating: z.number().nullable(),
          unanswered: z.number().int(),
        }),
      ),
    }),
  ),
});
