/** A bot's conversations and their transcripts, for admins and integrators with analytics:read. */
import {
  chatBotParamsSchema as botParams,
  conversationListSchema,
  conversationParamsSchema,
  conversationsQuerySchema,
  transcriptSchema,
} from "@docent/contracts/chat";
import { getConversation, getTranscript, listConversations } from "@docent/db/queries/conversations";
import { NotFoundError } from "@docent/service-kit/errors";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppDeps } from "./deps";

const identity = { auth: { kind: "identity" as const } };

export const conversationRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { authorizeBot, db } = deps;

  app.get(
    "/v1/bots/:botId/conversations",
    {
      config: identity,
      schema: {
        operationId: "listConversations",
        summary: "A bot's conversations, newest first, filtered by channel, time, feedback and handoff requests",
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
        handoffRequested: q.handoff === "requested",
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
};
