/**
 * The chat service's REST routes: the search API, chat, conversations and transcripts,
 * feedback, the public widget routes and the platform's defaults. Answers and their
 * streamed events are in chat-stream.ts, evaluations in evals.ts, the OpenAI-compatible
 * and MCP endpoints in chat-protocols.ts.
 *
 * Rows read from the database leave the service as `Date`s; `sentAt` documents them as the
 * ISO-8601 strings they become in JSON.
 */
import { z } from "zod";
import { uuid } from "./common";
import { retrievalModes } from "./json";
import { metadataFilterSchema } from "./metadata";
import { widgetConfigSchema } from "./widget";

/** A timestamp the service holds as a Date; JSON carries it as an ISO-8601 string. */
export const sentAt = z.date();

/** Longest question a bot is asked, in characters. */
export const MAX_QUESTION_CHARS = 8_000;

export const chatBotParamsSchema = z.object({ botId: uuid });

export const retrieveBodySchema = z.strictObject({
  query: z.string().trim().min(1).max(2_000),
  mode: z.enum(retrievalModes).optional(),
  topK: z.number().int().min(1).max(50).optional(),
  minScore: z.number().min(0).max(1).optional(),
  /** Rerank (or not) whatever the bot's setting, to compare both orders. */
  rerank: z.boolean().optional(),
  /** Only chunks of documents whose metadata match; applied inside retrieval, so top-k holds k matching chunks when k exist. */
  filter: metadataFilterSchema.optional(),
});

const modeRank = { rank: z.number().int(), score: z.number() };

export const retrievedChunkSchema = z.object({
  chunkId: uuid,
  documentId: uuid,
  documentName: z.string(),
  chunkIndex: z.number().int(),
  content: z.string(),
  page: z.number().int().nullable(),
  headingPath: z.array(z.string()),
  score: z.number().describe("Final score in the request's mode, 0-1; minScore applies to it."),
  rank: z.number().int().describe("1-based position in the final list."),
  vector: z.object({ ...modeRank, distance: z.number() }).optional(),
  keyword: z.object({ ...modeRank, bm25: z.number() }).optional(),
  hybrid: z.object(modeRank).optional(),
  rerank: z.object(modeRank).optional().describe("The reranker's rank and relevance score, when it scored this chunk."),
});

export const retrieveResponseSchema = z
  .object({
    mode: z.enum(retrievalModes),
    topK: z.number().int(),
    embeddingModel: z.string().nullable().describe("Embedding model of the query; null in keyword mode."),
    exactScan: z.boolean().nullable().describe("Whether the vector leg compared every chunk instead of walking the index."),
    chunks: z.array(retrievedChunkSchema),
    timingsMs: z.object({ embed: z.number(), vector: z.number(), keyword: z.number(), total: z.number(), rerank: z.number() }),
    rerank: z.object({
      status: z.enum(["off", "unavailable", "applied", "partial", "failed"]),
      reranker: z.string().nullable(),
      candidates: z.number().int(),
      scored: z.number().int(),
      ignored: z.number().int(),
      error: z.string().optional(),
    }),
  })
  .describe("RetrievalResult");

export const chatQuestionSchema = z
  .string()
  .trim()
  .min(1, "message must not be empty")
  .max(MAX_QUESTION_CHARS, `message must be at most ${MAX_QUESTION_CHARS} characters`);

export const chatBodySchema = z.strictObject({
  message: chatQuestionSchema,
  conversationId: uuid.optional(),
  stream: z.boolean().default(false),
  /** The integrator's own end-user/session id, stored with the conversation. */
  sessionId: z.string().trim().min(1).max(128).optional(),
  /** Answer only from documents whose metadata match. */
  filter: metadataFilterSchema.optional(),
});

export const conversationChannels = ["widget", "api", "playground"] as const;

export const conversationsQuerySchema = z.strictObject({
  channel: z.enum(conversationChannels).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  feedback: z
    .enum(["positive", "negative", "any", "none"])
    .optional()
    .describe("positive: a thumbs up or 4-5 stars on an answer; negative: a thumbs down or 1-2 stars"),
  handoff: z.enum(["requested"]).optional().describe("requested: only conversations whose visitor asked for a person"),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
});

export const conversationListSchema = z
  .object({
    items: z.array(
      z.object({
        id: uuid,
        channel: z.enum(conversationChannels),
        title: z.string().nullable(),
        visitorId: z.string().nullable(),
        startedAt: sentAt,
        lastMessageAt: sentAt,
        messageCount: z.number().int(),
        positiveFeedback: z.number().int().describe("Answers rated with a thumbs up or 4-5 stars"),
        negativeFeedback: z.number().int().describe("Answers rated with a thumbs down or 1-2 stars"),
        handoffRequestedAt: sentAt.nullable().describe("When the visitor asked for a person (widget handoff)"),
      }),
    ),
    nextCursor: z.string().nullable().describe("Pass as `before` for the next page; null on the last."),
  })
  .describe("ConversationList");

export const conversationParamsSchema = chatBotParamsSchema.extend({ conversationId: uuid });

export const transcriptSchema = z
  .object({
    conversation: z.object({
      id: uuid,
      botId: uuid,
      channel: z.enum(conversationChannels),
      visitorId: z.string().nullable(),
      userId: uuid.nullable(),
      apiKeyId: uuid.nullable(),
      title: z.string().nullable(),
      metadata: z.record(z.string(), z.unknown()),
      startedAt: sentAt,
      lastMessageAt: sentAt,
      endedAt: sentAt.nullable(),
      createdAt: sentAt,
      updatedAt: sentAt,
    }),
    messages: z.array(
      z.object({
        id: uuid,
        role: z.enum(["USER", "ASSISTANT", "SYSTEM"]),
        content: z.string(),
        metadata: z.record(z.string(), z.unknown()),
        createdAt: sentAt,
        /** As the answers' citations; the document fields are null once the document is deleted. */
        citations: z.array(
          z.object({
            index: z.number().int(),
            chunkId: uuid.nullable(),
            documentId: uuid.nullable(),
            documentName: z.string().nullable(),
            page: z.number().int().nullable(),
            headingPath: z.array(z.string()),
            score: z.number(),
            quote: z.string(),
          }),
        ),
        feedback: z
          .object({ rating: z.number().int().nullable(), stars: z.number().int().nullable(), comment: z.string().nullable() })
          .nullable(),
      }),
    ),
  })
  .describe("Transcript");
export type TranscriptDto = z.infer<typeof transcriptSchema>;
export type TranscriptCitationDto = TranscriptDto["messages"][number]["citations"][number];

export const feedbackBodySchema = z
  .strictObject({
    rating: z.union([z.literal(1), z.literal(-1)], { error: "rating must be 1 (thumbs up) or -1 (thumbs down)" }).optional(),
    stars: z
      .number({ error: "stars must be a whole number from 1 to 5" })
      .int("stars must be a whole number from 1 to 5")
      .min(1, "stars must be a whole number from 1 to 5")
      .max(5, "stars must be a whole number from 1 to 5")
      .optional(),
    comment: z.string().trim().max(2_000, "comment must be at most 2000 characters").nullish(),
  })
  .refine((b) => b.rating !== undefined || b.stars !== undefined, {
    message: "give rating (thumbs: 1 or -1), stars (1-5) or both",
    path: ["rating"],
  });
export type FeedbackBody = z.infer<typeof feedbackBodySchema>;

export const messageParamsSchema = z.object({ messageId: uuid });

export const feedbackResponseSchema = z
  .object({
    messageId: uuid,
    rating: z.number().int().nullable().describe("Thumbs: 1 or -1; null when only stars were given."),
    stars: z.number().int().min(1).max(5).nullable(),
    comment: z.string().nullable(),
    updatedAt: sentAt,
  })
  .describe("Feedback");

export const platformDefaultsSchema = z
  .object({
    llm: z.object({ provider: z.string(), model: z.string().nullable(), extractive: z.boolean() }),
    embedding: z.object({ provider: z.string(), model: z.string().nullable() }),
  })
  .describe("PlatformDefaults");

/** Widget routes name the bot by its public id. */
export const widgetParamsSchema = z.object({ publicId: z.string().regex(/^[A-Za-z0-9_-]{6,32}$/, "not a bot id") });
export const widgetVisitorIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "must be 16-64 letters, digits, '-' or '_'");

/** What a page's widget needs: the bot's name and the widget's appearance and texts. */
export const publicWidgetConfigSchema = z
  .object({ botName: z.string(), ...widgetConfigSchema.omit({ botId: true, updatedAt: true, metadataFilter: true }).shape })
  .describe("PublicWidgetConfig");
export type PublicWidgetConfigDto = z.infer<typeof publicWidgetConfigSchema>;

export const widgetChatBodySchema = z.strictObject({
  message: z.string().trim().min(1, "message must not be empty").max(2_000, "message must be at most 2000 characters"),
  conversationId: uuid.optional(),
  visitorId: widgetVisitorIdSchema.optional(),
  stream: z.boolean().default(true),
  /** The page the visitor chats from, kept with the conversation. */
  pageUrl: z.url().max(2_000).optional(),
  /** Narrows the documents further: ANDed with the bot's fixed widget filter, never replacing it. */
  filter: metadataFilterSchema.optional(),
});

export const widgetFeedbackBodySchema = z
  .strictObject({ ...feedbackBodySchema.shape, visitorId: widgetVisitorIdSchema })
  .refine((b) => b.rating !== undefined || b.stars !== undefined, {
    message: "give rating (thumbs: 1 or -1), stars (1-5) or both",
    path: ["rating"],
  });

/** A visitor asks for a person (widget handoff, when the bot's widget enables it). */
export const widgetHandoffBodySchema = z.strictObject({
  visitorId: widgetVisitorIdSchema,
  note: z.string().trim().max(1000).optional().describe("What the visitor wants a person to know."),
});

export const widgetHandoffResponseSchema = z
  .object({
    conversationId: uuid,
    handoffRequestedAt: z.iso.datetime({ offset: true }),
    alreadyRequested: z.boolean().describe("True when this conversation had asked before (no second event is sent)."),
  })
  .describe("WidgetHandoff");
