/**
 * The chat service's protocol endpoints, whose shapes belong to someone else: the
 * OpenAI-compatible chat completions (OpenAI's format, plus `citations` and `docent`) and
 * each bot as an MCP server (JSON-RPC 2.0). Requests are loose where the protocols are
 * open-ended: unknown fields are accepted and ignored, as OpenAI's and MCP's clients expect.
 */
import { z } from "zod";
import { uuid } from "./common";
import { citationSchema } from "./chat-stream";
import { metadataFilterSchema } from "./metadata";

export const openAiContentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });
export const openAiMessageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(openAiContentPartSchema), z.null()]).optional(),
});

export const completionBodySchema = z.looseObject({
  model: z.string().min(1).max(100).describe("The bot: its id or its public id."),
  messages: z.array(openAiMessageSchema).min(1).max(200),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  user: z.string().max(128).optional(),
  /** Docent's extra field (OpenAI SDKs send it as an extra body parameter): answer only from documents whose metadata match. */
  filter: metadataFilterSchema.optional(),
});

export const openAiModelListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(
      z.object({ id: uuid, object: z.literal("model"), created: z.number().int(), owned_by: z.literal("docent"), name: z.string() }),
    ),
  })
  .describe("ModelList");

const openAiUsage = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
});

/** Docent's own fields on a completion: where the answer was stored and how it was made. */
const docentExtras = z.object({
  conversationId: uuid,
  messageId: uuid,
  extractive: z.boolean(),
  refused: z.boolean(),
  curated: z
    .object({ id: uuid, question: z.string() })
    .nullable()
    .describe("Answered with this curated answer instead of a generated one."),
});

/** What a completion and each of its streamed chunks begin with: one choice, whose content is a message or a delta. */
const completionOf = <T extends string, C extends z.ZodRawShape, F extends z.ZodType>(object: T, content: C, finishReason: F) => ({
  id: z.string(),
  object: z.literal(object),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(z.object({ index: z.number().int(), ...content, logprobs: z.null(), finish_reason: finishReason })),
});

export const chatCompletionSchema = z
  .object({
    ...completionOf(
      "chat.completion",
      { message: z.object({ role: z.literal("assistant"), content: z.string(), refusal: z.null() }) },
      z.literal("stop"),
    ),
    usage: openAiUsage,
    citations: z.array(citationSchema),
    docent: docentExtras,
  })
  .describe("ChatCompletion");

/** One `data:` line of a streamed completion; the stream ends with `data: [DONE]`. */
export const chatCompletionChunkSchema = z
  .object({
    ...completionOf(
      "chat.completion.chunk",
      { delta: z.object({ role: z.literal("assistant").optional(), content: z.string().optional() }) },
      z.literal("stop").nullable(),
    ),
    usage: openAiUsage.optional().describe("Last chunk, with stream_options.include_usage."),
    citations: z.array(citationSchema).optional().describe("On the chunk that finishes the answer."),
    docent: docentExtras.optional(),
  })
  .describe("ChatCompletionChunk");

/** OpenAI's error body, which its SDKs read; `requestId` is Docent's. */
export const openAiErrorSchema = z
  .object({
    error: z.object({ message: z.string(), type: z.string(), param: z.null(), code: z.string() }),
    requestId: z.string(),
  })
  .describe("OpenAiError");

export const mcpParamsSchema = z.object({ bot: z.string().min(1).max(64).describe("The bot's public id (or its id).") });

export const jsonRpcResponseSchema = z.looseObject({ jsonrpc: z.literal("2.0"), id: z.union([z.string(), z.number(), z.null()]) }).describe("JsonRpcResponse");

/** Every MCP failure, authorisation included, as a JSON-RPC error. */
export const jsonRpcErrorSchema = z
  .object({
    jsonrpc: z.literal("2.0"),
    id: z.union([z.string(), z.number(), z.null()]),
    error: z.object({ code: z.number().int(), message: z.string(), data: z.record(z.string(), z.unknown()) }),
  })
  .describe("JsonRpcError");
