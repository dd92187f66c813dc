/**
 * Bot-scoped routes for admins and integrators: the search API (metered, also the admin's
 * retrieval test), chat, conversation lists, transcripts and analytics. Session users chat in the "playground" channel, API keys in "api".
 */
import { analyticsQuerySchema, analyticsResponseSchema } from "@docent/contracts/analytics";
import { getBotAnalytics } from "@docent/db/queries/analytics";
import { getConversation, getTranscript, listConversations } from "@docent/db/queries/conversations";
import { retrievalModes } from "@docent/contracts/json";
import { NotFoundError } from "@docent/service-kit/errors";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "./deps";
import { MAX_QUESTION_CHARS } from "../answer/service";
import { answerBody, streamAnswer } from "../http/answer-stream";
import { actorOf } from "../http/auth";

const identity = { auth: { kind: "identity" as const } };
const botParams = z.object({ botId: z.uuid() });
const message = z
  .string()
  .trim()
  .min(1, "message must not be empty")
  .max(MAX_QUESTION_CHARS, `message must be at most ${MAX_QUESTION_CHARS} characters`);

export const botRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { authorizeBot, searches, chat, db, env } = deps;

  app.post(
    "/v1/bots/:botId/retrieve",
    {
      config: identity,
      schema: {
        params: botParams,
        body: z.strictObject({
          query: z.string().trim().min(1).max(2_000),
          mode: z.enum(retrievalModes).optional(),
          topK: z.number().int().min(1).max(50).optional(),
          minScore: z.number().min(0).max(1).optional(),
          /** Rerank (or not) whatever the bot's setting, to compare both orders. */
          rerank: z.boolean().optional(),
        }),
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
        params: botParams,
        body: z.strictObject({
          message,
          conversationId: z.uuid().optional(),
          stream: z.boolean().default(false),
          /** The integrator's own end-user/session id, stored with the conversation. */
          sessionId: z.string().trim().min(1).max(128).optional(),
        }),
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
        params: botParams,
        querystring: z.strictObject({
          channel: z.enum(["widget", "api", "playground"]).optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          feedback: z.enum(["positive", "negative", "any", "none"]).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          before: z.iso.datetime({ offset: true }).optional(),
        }),
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
    { config: identity, schema: { params: botParams.extend({ conversationId: z.uuid() }) } },
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
