/**
 * The chat service's answers: the JSON body of a non-streamed answer and the Server-Sent
 * Events of a streamed one (`start`, `token`, `citations`, then `done` or `error`). The
 * widget and the admin playground read them; the chat service writes them.
 */
import { z } from "zod";
import { errorResponseSchema, uuid } from "./common";

/** A `[n]` marker of an answer and the passage it points to. */
export const citationSchema = z
  .object({
    index: z.number().int().min(1).describe("The [n] marker in the answer text."),
    chunkId: uuid,
    documentId: uuid,
    documentName: z.string(),
    page: z.number().int().nullable(),
    headingPath: z.array(z.string()),
    score: z.number(),
    quote: z.string().describe("The cited passage (or an excerpt of it)."),
  })
  .describe("Citation");
export type CitationDto = z.infer<typeof citationSchema>;

export const answerUsageSchema = z.object({ inputTokens: z.number().int().min(0), outputTokens: z.number().int().min(0) });

/** A complete, stored answer: the JSON body of a non-streamed answer, and the `done` event. */
export const chatAnswerSchema = z
  .object({
    conversationId: uuid,
    messageId: uuid.describe("The answer's id, for feedback."),
    answer: z.string().describe("The stored text; a streamed answer's tokens add up to it."),
    citations: z.array(citationSchema),
    extractive: z.boolean().describe("Answered by quoting the sources, without a language model."),
    refused: z.boolean().describe("Strict mode answered with the bot's refusal text."),
    curated: z
      .object({ id: uuid, question: z.string() })
      .nullable()
      .describe("Answered with this curated answer (written by an admin for a close question) instead of a generated one."),
    model: z.string(),
    usage: answerUsageSchema,
    latencyMs: z.number().min(0),
  })
  .describe("ChatAnswer");
export type ChatAnswerDto = z.infer<typeof chatAnswerSchema>;

/** The widget's answer also names the visitor (new visitors get an id here). */
export const widgetAnswerSchema = chatAnswerSchema.extend({ visitorId: z.string() }).describe("WidgetAnswer");
export type WidgetAnswerDto = z.infer<typeof widgetAnswerSchema>;

/** The data of each event of a streamed answer, by event name. */
export const chatStreamEventSchemas = {
  /** The answer has started; the conversation exists once `done` arrives. */
  start: z.object({
    conversationId: uuid,
    messageId: uuid,
    userMessageId: uuid.describe("The question's id."),
    visitorId: z.string().optional().describe("Widget only: the visitor's id."),
  }),
  token: z.object({ text: z.string() }),
  citations: z.object({ citations: z.array(citationSchema) }),
  done: chatAnswerSchema,
  /** The answer failed mid-way; the body is the error every request gets. */
  error: errorResponseSchema,
};
export type ChatStreamEventName = keyof typeof chatStreamEventSchemas;
export type ChatStreamEvents = { [K in ChatStreamEventName]: z.infer<(typeof chatStreamEventSchemas)[K]> };

/** One event of the stream as documented: the event name and its data. */
export const chatStreamEventSchema = z
  .union(
    (Object.keys(chatStreamEventSchemas) as ChatStreamEventName[]).map((event) =>
      z.object({ event: z.literal(event), data: chatStreamEventSchemas[event] }),
    ),
  )
  .describe("text/event-stream of `event: <name>` / `data: <json>` pairs: start, token..., citations, then done or error.");
