/**
 * Public widget routes, addressed by the bot's public id. The page's Origin must be on
 * the bot's allowlist (an empty list allows none); API keys are refused outright so a
 * key pasted into a page fails loudly instead of working; visitors are anonymous ids;
 * requests are rate limited per IP and per visitor; a daily token budget, reserved before
 * each answer and settled after it, caps a bot's widget spending.
 */
import { randomBytes } from "node:crypto";
import { noContent } from "@docent/contracts/common";
import {
  feedbackResponseSchema,
  publicWidgetConfigSchema,
  widgetChatBodySchema,
  widgetFeedbackBodySchema,
  widgetHandoffBodySchema,
  widgetHandoffResponseSchema,
  widgetParamsSchema as publicParams,
} from "@docent/contracts/chat";
import { widgetAnswerSchema } from "@docent/contracts/chat-stream";
import { allMetadataFilters } from "@docent/contracts/metadata";
import type { Bot } from "@docent/db/queries/bots";
import { getBotByPublicId } from "@docent/db/queries/bots";
import { listOrigins } from "@docent/db/queries/origins";
import { getWidgetConfig } from "@docent/db/queries/widget";
import { requestHandoff } from "@docent/db/queries/conversations";
import { AppError, BadRequestError, ForbiddenError, NotFoundError, RateLimitedError } from "@docent/service-kit/errors";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "./deps";
import type { AskEvents } from "../answer/service";
import { answerBody, answerResponse, streamAnswer } from "../http/answer-stream";
import { originAllowed } from "../http/origin";
import type { TokenReservation } from "../http/rate-limit";

/** Widget routes authenticate nobody: the Origin allowlist and the limits protect them. */
const pub = { auth: { kind: "public" as const } };
const newVisitorId = () => `v_${randomBytes(16).toString("base64url")}`;

export const widgetRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { db, chat, limiter, env } = deps;

  function corsHeaders(origin: string): Record<string, string> {
    return {
      "access-control-allow-origin": origin,
      vary: "Origin",
      "access-control-expose-headers": "x-request-id, x-docent-visitor, retry-after",
    };
  }

  /** The bot behind a public id, if the request's Origin may use it. */
  async function widgetBot(request: FastifyRequest, reply: FastifyReply, publicId: string): Promise<{ bot: Bot; origin: string }> {
    if (request.headers.authorization) {
      throw new BadRequestError("Widget routes do not accept API keys; use /v1/chat/completions or /v1/bots/:botId/chat server-side", {
        code: "API_KEY_NOT_ALLOWED",
      });
    }
    const bot = await getBotByPublicId(db, publicId);
    if (!bot || bot.status === "DISABLED") throw new NotFoundError("Bot");
    const origin = request.headers.origin;
    const allowlist = (await listOrigins(db, bot.id)).map((o) => o.origin);
    if (!origin || !originAllowed(origin, allowlist)) {
      throw new ForbiddenError(
        allowlist.length === 0
          ? "This bot's widget is not enabled on any site yet: add the site's origin to the bot's allowed origins"
          : `Origin ${origin ?? "(none)"} is not allowed to use this bot's widget`,
        { code: "ORIGIN_NOT_ALLOWED" },
      );
    }
    reply.headers(corsHeaders(origin));
    return { bot, origin };
  }

  async function enforceLimits(request: FastifyRequest, botId: string, visitor: string) {
    const ipWait = await limiter.hit(`ip:${botId}:${request.ip}`, env.WIDGET_RATE_LIMIT_PER_IP, 60);
    if (ipWait !== null) throw new RateLimitedError(ipWait, "Too many messages from this network; wait a minute and try again");
    const visitorWait = await limiter.hit(`visitor:${botId}:${visitor}`, env.WIDGET_RATE_LIMIT_PER_VISITOR, 60);
    if (visitorWait !== null) throw new RateLimitedError(visitorWait, "You are sending messages too quickly; wait a minute and try again");
    // Cheap early refusal before any retrieval; the reservation below is what enforces the budget.
    if ((await limiter.tokensSpentToday(botId)) >= env.WIDGET_DAILY_TOKEN_BUDGET) throw budgetExhausted();
  }

  function budgetExhausted() {
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    return new AppError("This assistant has reached its daily usage limit; please try again tomorrow", {
      code: "DAILY_BUDGET_EXHAUSTED",
      retryable: true,
      details: { resetsAt: midnight.toISOString() },
      headers: { "retry-after": String(Math.ceil((midnight.getTime() - Date.now()) / 1000)) },
    });
  }

  /**
   * The daily budget for one answer: the answer service reserves its most possible cost
   * before generating (refused when it does not fit), `done` settles it to the real usage.
   * An answer that fails before producing any text releases the reservation; one that
   * fails or is abandoned mid-answer keeps it, since the provider may have billed that much.
   */
  function tokenBudget(botId: string) {
    let reservation: TokenReservation | null = null;
    let generated = false;
    return {
      async reserveTokens(maxTokens: number) {
        reservation = await limiter.reserveTokens(botId, maxTokens, env.WIDGET_DAILY_TOKEN_BUDGET);
        if (!reservation) throw budgetExhausted();
      },
      onToken() {
        generated = true;
      },
      async done(usage: { inputTokens: number; outputTokens: number }) {
        if (reservation) await limiter.settleTokens(reservation, usage.inputTokens + usage.outputTokens);
        reservation = null;
      },
      async failed() {
        if (reservation && !generated) await limiter.settleTokens(reservation, 0);
        reservation = null;
      },
    };
  }

  // CORS preflight: answered only for allowed origins.
  const preflight = {
    operationId: "widgetPreflight",
    summary: "CORS preflight of the widget routes, answered for the bot's allowed origins only",
    params: publicParams.extend({ "*": z.string() }),
    response: { 204: noContent },
  };
  app.options("/v1/widget/:publicId/*", { config: pub, schema: preflight }, async (request, reply) => {
    await widgetBot(request, reply, request.params.publicId);
    reply.headers({
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "content-type, x-docent-visitor, x-request-id",
      "access-control-max-age": "600",
    });
    return reply.status(204).send();
  });

  const configSchema = {
    operationId: "getWidgetConfig",
    summary: "The widget's appearance and texts, for the page's Origin",
    params: publicParams,
    response: { 200: publicWidgetConfigSchema },
  };
  app.get("/v1/widget/:publicId/config", { config: pub, schema: configSchema }, async (request, reply) => {
    const { bot } = await widgetBot(request, reply, request.params.publicId);
    const config = await getWidgetConfig(db, bot.id);
    return {
      botName: bot.name,
      headerText: config.headerText,
      initialGreeting: config.initialGreeting,
      inputPlaceholder: config.inputPlaceholder,
      primaryColor: config.primaryColor,
      textColor: config.textColor,
      backgroundColor: config.backgroundColor,
      position: config.position,
      theme: config.theme,
      width: config.width,
      height: config.height,
      showSources: config.showSources,
      offerStars: config.offerStars,
      handoffEnabled: config.handoffEnabled,
      avatarUrl: config.avatarUrl,
    };
  });

  app.post(
    "/v1/widget/:publicId/chat",
    {
      config: pub,
      schema: {
        operationId: "widgetChat",
        summary: "A visitor asks the bot (streamed by default); the x-docent-visitor header names the visitor",
        params: publicParams,
        body: widgetChatBodySchema,
        response: { 200: answerResponse(widgetAnswerSchema) },
      },
    },
    async (request, reply) => {
      const { bot, origin } = await widgetBot(request, reply, request.params.publicId);
      const body = request.body;
      const visitor = body.visitorId ?? newVisitorId();
      if (body.conversationId && !body.visitorId) throw new BadRequestError("visitorId is required to continue a conversation");
      await enforceLimits(request, bot.id, visitor);
      reply.header("x-docent-visitor", visitor);
      // The bot's fixed filter (admin-set) ANDed with the page's own: a request can narrow
      // what the widget answers from, never widen or replace it.
      const filter = allMetadataFilters((await getWidgetConfig(db, bot.id)).metadataFilter, body.filter);
      const params = {
        bot,
        message: body.message,
        conversationId: body.conversationId,
        channel: "widget" as const,
        actor: { visitorId: visitor },
        conversationMetadata: { pageUrl: body.pageUrl ?? null, userAgent: request.headers["user-agent"]?.slice(0, 300) ?? null },
        ...(filter ? { filter } : {}),
      };
      const budget = tokenBudget(bot.id);
      const run = async (events: AskEvents, signal?: AbortSignal) => {
        try {
          return await chat.ask(
            { ...params, signal, reserveTokens: budget.reserveTokens },
            {
              ...events,
              onToken: (text) => {
                budget.onToken();
                events.onToken?.(text);
              },
            },
          );
        } catch (error) {
          await budget.failed();
          throw error;
        }
      };
      if (!body.stream) {
        const answer = await run({});
        await budget.done(answer.usage);
        return { ...answerBody(answer), visitorId: visitor };
      }
      return streamAnswer(request, reply, run, {
        headers: { ...corsHeaders(origin), "x-docent-visitor": visitor },
        startExtra: { visitorId: visitor },
        onDone: (answer) => budget.done(answer.usage),
      });
    },
  );

  app.post(
    "/v1/widget/:publicId/messages/:messageId/feedback",
    {
      config: pub,
      schema: {
        operationId: "widgetRateAnswer",
        summary: "The visitor who received an answer rates it: thumbs (rating 1 or -1) and/or stars (1-5), with an optional comment",
        params: publicParams.extend({ messageId: z.uuid() }),
        body: widgetFeedbackBodySchema,
        response: { 200: feedbackResponseSchema },
      },
    },
    async (request, reply) => {
      const { bot } = await widgetBot(request, reply, request.params.publicId);
      const answer = await deps.feedback.loadAnswer(request.params.messageId);
      // Only the visitor who received the answer may rate it.
      if (answer.botId !== bot.id || answer.channel !== "widget" || answer.visitorId !== request.body.visitorId) {
        throw new NotFoundError("Message");
      }
      const { rating, stars, comment } = request.body;
      return deps.feedback.save(request.params.messageId, { rating, stars, comment });
    },
  );

  app.post(
    "/v1/widget/:publicId/conversations/:conversationId/handoff",
    {
      config: pub,
      schema: {
        operationId: "widgetRequestHandoff",
        summary: "The visitor asks for a person: recorded on the conversation and sent as `handoff.requested` (when the widget offers it)",
        params: publicParams.extend({ conversationId: z.uuid() }),
        body: widgetHandoffBodySchema,
        response: { 200: widgetHandoffResponseSchema },
      },
    },
    async (request, reply) => {
      const { bot } = await widgetBot(request, reply, request.params.publicId);
      const config = await getWidgetConfig(db, bot.id);
      if (!config.handoffEnabled) {
        throw new AppError("This assistant does not offer a handoff to a person.", { code: "FORBIDDEN" });
      }
      const recorded = await requestHandoff(db, {
        botId: bot.id,
        conversationId: request.params.conversationId,
        visitorId: request.body.visitorId,
        note: request.body.note ?? null,
      });
      // Only the visitor's own widget conversation: anything else reads as missing.
      if (!recorded) throw new AppError("Conversation not found", { code: "CONVERSATION_NOT_FOUND" });
      if (recorded.first) {
        await deps.webhooks.emit({
          workspaceId: bot.workspaceId,
          type: "handoff.requested",
          data: {
            conversationId: request.params.conversationId,
            botId: bot.id,
            visitorId: request.body.visitorId,
            note: request.body.note ?? null,
            requestedAt: recorded.handoffRequestedAt.toISOString(),
          },
        });
      }
      return {
        conversationId: request.params.conversationId,
        handoffRequestedAt: recorded.handoffRequestedAt.toISOString(),
        alreadyRequested: !recorded.first,
      };
    },
  );
};
