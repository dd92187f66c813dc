/**
 * Bot-scoped routes for admins and integrators: the search API (metered, also the admin's
 * retrieval test), chat, conversation lists, transcripts and analytics. Session users chat in the "playground" channel, API keys in "api".
 */
import { analyticsQuerySchema, analyticsResponseSchema } from "@docent/contracts/analytics";
import {
  chatBodySchema,
  chatBotParamsSchema as botParams,
  conversationListSchema,
  conversationParamsSchema,
  conversationsQuerySchema,
  retrieveBodySchema,
  retrieveResponseSchema,
  transcriptSchema,
} from "@docent/contracts/chat";
import { getBotAnalytics } from "@docent/db/queries/analytics";
import { getConversation, getTranscript, listConversations } from "@docent/db/queries/conversations";
import { NotFoundError } from "@docent/service-kit/errors";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppDeps } from "./deps";
import { answerBody, answerResponse, streamAnswer } from "../http/answer-stream";
import { actorOf } from "../http/auth";

const identity = { auth: { kind: "identity" as const } };

export const botRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { authorizeBot, searches, chat, db, env } = deps;

  app.post(
    "/v1/bots/:botId/retrieve",
    {
      config: identity,
      schema: {
        operationId: "retrieve",
        summary: "Search a bot's documents (metered like a question's retrieval, logged for analytics)",
        params: botParams,
        body: retrieveBodySchema,
        response: { 200: retrieveResponseSchema },
      },
    },
    async (request) => {
      const { bot, access } = await authorizeBot(request, request.params.botId, "chat");
      // Metered: one search of the workspace's month, logged for analytics.
      return searches.retrieve({ bot, ...request.body, channel: access.userId ? "playground" : "api", actor: actorOf(access) });
    },
  );

  app.post(
    "/v1/bots/:botId/chat",
    {
      config: identity,
      schema: {
        operationId: "chat",
        summary: "Ask a bot: one JSON answer, or Server-Sent Events with stream: true",
        params: botParams,
        body: chatBodySchema,
        response: { 200: answerResponse() },
      },
    },
    async (request, reply) => {
      const { bot, access } = await authorizeBot(request, request.params.botId, "chat");
      const body = request.body;
      const params = {
        bot,
        message: body.message,
        conversationId: body.conversationId,
        channel: access.userId ? ("playground" as const) : ("api" as const),
        actor: actorOf(access, body.sessionId),
      };
      if (!body.stream) return answerBody(await chat.ask(params));
      return streamAnswer(request, reply, (events, signal) => chat.ask({ ...params, signal }, events));
    },
  );

  app.get(
    "/v1/bots/:botId/conversations",
    {
      config: identity,
      schema: {
        operationId: "listConversations",
        summary: "A bot's conversations, newest first, filtered by channel, time and feedback",
        params: botParams,
        querystring: conversationsQuerySchema,
        response: { 200: conversationListSchema },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "analytics:read");
      const q = request.query;
      const items = await listConversations(db, {
        botId: bot.id,
        channel: q.channel,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        feedback: q.feedback,
        limit: q.limit,
        before: q.before ? new Date(q.before) : undefined,
      });
      const last = items.at(-1);
      return {
        items,
        nextCursor: items.length === q.limit && last ? last.startedAt.toISOString() : null,
      };
    },
  );

  app.get(
    "/v1/bots/:botId/conversations/:conversationId",
    {
      config: identity,
      schema: {
        operationId: "getConversation",
        summary: "A conversation's transcript: messages with their citations and feedback",
        params: conversationParamsSchema,
        response: { 200: transcriptSchema },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "analytics:read");
      const conversation = await getConversation(db, { botId: bot.id, conversationId: request.params.conversationId });
      if (!conversation) throw new NotFoundError("Conversation");
      return { conversation, messages: await getTranscript(db, conversation.id) };
    },
  );

  app.get(
    "/v1/bots/:botId/analytics",
    {
      config: identity,
      schema: {
        operationId: "getBotAnalytics",
        summary: "Questions, latency, tokens, feedback, most cited documents and unanswered questions per UTC day",
        params: botParams,
        querystring: analyticsQuerySchema,
        response: { 200: analyticsResponseSchema },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "analytics:read");
      return getBotAnalytics(db, { botId: bot.id, ...request.query, weakScore: env.ANALYTICS_WEAK_SCORE });
    },
  );
};
