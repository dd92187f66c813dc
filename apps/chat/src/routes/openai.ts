/**
 * OpenAI-compatible endpoints, so any OpenAI SDK can talk to a bot: `model` names the
 * bot (its id or public id), requests and responses (streamed and not) follow OpenAI's
 * chat-completions format, citations travel in an extra `citations` field, and errors use
 * OpenAI's `{ error: { message, type, code } }` body (plus `requestId`) because that is
 * what those SDKs read. API keys only (scope `chat`).
 */
import { randomUUID } from "node:crypto";
import {
  chatCompletionChunkSchema,
  chatCompletionSchema,
  completionBodySchema as completionBody,
  openAiErrorSchema,
  openAiMessageSchema,
  openAiModelListSchema,
} from "@docent/contracts/chat-protocols";
import { getBot, getBotByPublicId, listBots } from "@docent/db/queries/bots";
import { logServerError, normalizeError } from "@docent/http-kit/error-handler";
import { AppError, BadRequestError, DependencyUnavailableError, ForbiddenError } from "@docent/service-kit/errors";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "./deps";
import { requireIdentity } from "@docent/http-kit/auth";
import type { FastifyRequest } from "fastify";
import { openSse } from "@docent/http-kit/sse";
import { protocolErrors } from "../http/protocol-errors";

type ApiKeyIdentity = Extract<ReturnType<typeof requireIdentity>, { kind: "apiKey" }>;

/** Bound on the caller's system text, which rides along in every answer's prompt. */
export const MAX_CALLER_INSTRUCTIONS_CHARS = 4_000;

const textOf = (content: z.infer<typeof openAiMessageSchema>["content"]) =>
  typeof content === "string"
    ? content
    : (content ?? [])
        .filter((p) => p.type === "text" && typeof p.text === "string")
        .map((p) => p.text)
        .join("\n");

const errorType = (status: number) =>
  status === 401
    ? "authentication_error"
    : status === 403
      ? "permission_error"
      : status === 404
        ? "not_found_error"
        : status === 402
          ? "insufficient_quota"
          : status === 429
          ? "rate_limit_error"
          : status >= 500
            ? "api_error"
            : "invalid_request_error";

export const openAiRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { authorizeBot, chat, db } = deps;
  const identity = { auth: { kind: "identity" as const } };

  app.setErrorHandler((error, request, reply) => {
    const e = normalizeError(error);
    logServerError(deps.errorLog, request, e);
    if (e instanceof DependencyUnavailableError) request.log.warn({ dependency: e.dependency }, "dependency unavailable; answered 503");
    else if (e.statusCode >= 500) request.log.error({ err: error }, "request failed");
    if (e.headers) reply.headers(e.headers);
    const message = e.expose ? e.message : "Internal server error";
    return reply.status(e.statusCode).send({
      error: { message, type: errorType(e.statusCode), param: null, code: e.code.toLowerCase() },
      requestId: request.id,
    });
  });

  async function botForModel(request: FastifyRequest, principal: ApiKeyIdentity, model: string) {
    const bot = z.uuid().safeParse(model).success
      ? await getBot(db, { workspaceId: principal.workspaceId, botId: model })
      : await getBotByPublicId(db, model);
    if (!bot || bot.workspaceId !== principal.workspaceId) {
      throw new AppError(`The model '${model}' does not exist or you do not have access to it.`, { code: "MODEL_NOT_FOUND" });
    }
    return (await authorizeBot(request, bot.id, "chat")).bot;
  }

  function apiKeyPrincipal(request: FastifyRequest): ApiKeyIdentity {
    const principal = requireIdentity(request);
    if (principal.kind !== "apiKey") {
      throw new ForbiddenError("This endpoint needs an API key: Authorization: Bearer dk_live_...", { code: "API_KEY_REQUIRED" });
    }
    return principal;
  }

  const modelsSchema = {
    operationId: "listModels",
    summary: "OpenAI-compatible: the bots the API key may ask, as models",
    response: { 200: openAiModelListSchema, ...protocolErrors(openAiErrorSchema) },
  };
  const completionSchema = {
    operationId: "createChatCompletion",
    summary: "OpenAI-compatible chat completions: `model` names the bot; streamed as OpenAI chunks with stream: true",
    body: completionBody,
    response: {
      200: {
        description: "The completion, or with stream: true one chunk per `data:` line and then `data: [DONE]`.",
        content: {
          "application/json": { schema: chatCompletionSchema },
          "text/event-stream": { schema: chatCompletionChunkSchema },
        },
      },
      ...protocolErrors(openAiErrorSchema),
    },
  };

  app.get("/v1/models", { config: identity, schema: modelsSchema }, async (request) => {
    const principal = apiKeyPrincipal(request);
    const bots = await listBots(db, { workspaceId: principal.workspaceId, onlyBotId: principal.botId });
    return {
      object: "list" as const,
      data: bots.map((b) => ({
        id: b.id,
        object: "model" as const,
        created: Math.floor(b.createdAt.getTime() / 1000),
        owned_by: "docent" as const,
        name: b.name,
      })),
    };
  });

  app.post("/v1/chat/completions", { config: identity, schema: completionSchema }, async (request, reply) => {
    const principal = apiKeyPrincipal(request);
    const body = request.body;
    const bot = await botForModel(request, principal, body.model);
    const last = body.messages.at(-1)!;
    const question = textOf(last.content).trim();
    if (last.role !== "user" || !question) {
      throw new BadRequestError("The last message must be a non-empty user message (the question for the bot)");
    }
    // The caller's system (and developer) messages are extra instructions: added after
    // the bot's own prompt and before its grounding rules, which keep the last word.
    const instructions = body.messages
      .filter((m) => m.role === "system" || m.role === "developer")
      .map((m) => textOf(m.content).trim())
      .filter(Boolean)
      .join("\n\n");
    if (instructions.length > MAX_CALLER_INSTRUCTIONS_CHARS) {
      throw new BadRequestError(
        `The system messages are ${instructions.length} characters long together; the limit is ${MAX_CALLER_INSTRUCTIONS_CHARS}. They are added to the bot's own prompt as extra instructions.`,
        { code: "SYSTEM_MESSAGE_TOO_LONG", details: { maxChars: MAX_CALLER_INSTRUCTIONS_CHARS } },
      );
    }
    // Earlier user/assistant turns are the conversation.
    const history = body.messages
      .slice(0, -1)
      .filter((m) => m.role === "user" || m.role === "assistant")
      .map((m) => ({ role: m.role === "user" ? ("USER" as const) : ("ASSISTANT" as const), content: textOf(m.content) }))
      .filter((m) => m.content.trim().length > 0);
    const params = {
      bot,
      message: question,
      channel: "api" as const,
      actor: { apiKeyId: principal.apiKeyId, visitorId: body.user ?? null },
      history,
      ...(instructions ? { instructions } : {}),
      ...(body.filter ? { filter: body.filter } : {}),
    };
    const id = `chatcmpl-${randomUUID().replaceAll("-", "")}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model;

    if (!body.stream) {
      const answer = await chat.ask(params);
      return {
        id,
        object: "chat.completion" as const,
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: "assistant" as const, content: answer.content, refusal: null },
            logprobs: null,
            finish_reason: "stop" as const,
          },
        ],
        usage: {
          prompt_tokens: answer.usage.inputTokens,
          completion_tokens: answer.usage.outputTokens,
          total_tokens: answer.usage.inputTokens + answer.usage.outputTokens,
        },
        citations: answer.citations,
        docent: { conversationId: answer.conversationId, messageId: answer.messageId, extractive: answer.extractive, refused: answer.refused, curated: answer.curated },
      };
    }

    const controller = new AbortController();
    let sse: ReturnType<typeof openSse> | null = null;
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra });
    try {
      const answer = await chat.ask(
        { ...params, signal: controller.signal },
        {
          onStart: () => {
            sse = openSse(reply);
            sse.signal.addEventListener("abort", () => controller.abort());
            sse.data(chunk({ role: "assistant", content: "" }, null));
          },
          onToken: (text) => sse?.data(chunk({ content: text }, null)),
        },
      );
      const stream = sse as ReturnType<typeof openSse> | null;
      stream?.data(
        chunk({}, "stop", {
          citations: answer.citations,
          docent: { conversationId: answer.conversationId, messageId: answer.messageId, extractive: answer.extractive, refused: answer.refused, curated: answer.curated },
        }),
      );
      if (body.stream_options?.include_usage) {
        stream?.data(
          JSON.stringify({
            id,
            object: "chat.completion.chunk",
            created,
            model,
            choices: [],
            usage: {
              prompt_tokens: answer.usage.inputTokens,
              completion_tokens: answer.usage.outputTokens,
              total_tokens: answer.usage.inputTokens + answer.usage.outputTokens,
            },
          }),
        );
      }
      stream?.data("[DONE]");
      stream?.end();
    } catch (error) {
      const stream = sse as ReturnType<typeof openSse> | null;
      if (!stream) throw error;
      const e = normalizeError(error);
      if (e instanceof DependencyUnavailableError) request.log.warn({ dependency: e.dependency }, "streamed completion ended: dependency unavailable");
      else if (e.statusCode >= 500) request.log.error({ err: error }, "streamed completion failed");
      // OpenAI streams report mid-stream failures as a data line carrying `error`.
      stream.data(JSON.stringify({ error: { message: e.expose ? e.message : "Internal server error", type: errorType(e.statusCode), code: e.code.toLowerCase() } }));
      stream.end();
    }
    return reply;
  });
};
