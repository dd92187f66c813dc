/**
 * Asking a bot, for admins and integrators: the search API (metered, also the admin's
 * retrieval test) and chat. Session users chat in the "playground" channel, API keys in
 * "api". Conversations and analytics have their own modules.
 */
import { chatBodySchema, chatBotParamsSchema as botParams, retrieveBodySchema, retrieveResponseSchema } from "@docent/contracts/chat";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppDeps } from "./deps";
import { answerBody, answerResponse, streamAnswer } from "../http/answer-stream";
import { actorOf } from "../http/auth";

const identity = { auth: { kind: "identity" as const } };

export const botRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { authorizeBot, searches, chat } = deps;

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
        filter: body.filter,
      };
      if (!body.stream) return answerBody(await chat.ask(params));
      return streamAnswer(request, reply, (events, signal) => chat.ask({ ...params, signal }, events));
    },
  );
};
