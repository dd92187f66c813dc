/**
 * Conversation topics of a bot: definitions and the assignment threshold (admins:
 * bots:write), suggestions from unassigned questions and per-topic daily series (anyone
 * with analytics:read). A bot of another workspace reads as not found.
 */
import { chatBotParamsSchema as botParams } from "@docent/contracts/chat";
import {
  suggestionsQuerySchema,
  topicBodySchema,
  topicListSchema,
  topicParamsSchema,
  topicSeriesQuerySchema,
  topicSeriesSchema,
  topicSettingsSchema,
  topicSuggestionsSchema,
  topicWriteResponseSchema,
} from "@docent/contracts/topics";
import { getTopicSeries, listTopics, type TopicRow } from "@docent/db/queries/topics";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "./deps";

const identity = { auth: { kind: "identity" as const } };

const dto = (t: TopicRow) => ({ ...t, createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString() });

export const topicRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { authorizeBot, db, topics } = deps;

  app.get(
    "/v1/bots/:botId/topics",
    {
      config: identity,
      schema: {
        operationId: "listTopics",
        summary: "A bot's topics and its assignment threshold",
        params: botParams,
        response: { 200: topicListSchema },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "analytics:read");
      return { items: (await listTopics(db, bot.id)).map(dto), threshold: bot.topicThreshold };
    },
  );

  app.post(
    "/v1/bots/:botId/topics",
    {
      config: identity,
      schema: {
        operationId: "createTopic",
        summary: "Define a topic (name unique per bot); recent questions are re-assigned",
        params: botParams,
        body: topicBodySchema,
        response: { 201: topicWriteResponseSchema },
      },
    },
    async (request, reply) => {
      const { bot } = await authorizeBot(request, request.params.botId, "bots:write");
      const { topic, reassigned } = await topics.create(bot, request.body);
      return reply.code(201).send({ topic: dto(topic), reassigned });
    },
  );

  app.put(
    "/v1/bots/:botId/topics/:topicId",
    {
      config: identity,
      schema: {
        operationId: "updateTopic",
        summary: "Edit a topic; its centroid is recomputed and recent questions re-assigned",
        params: topicParamsSchema,
        body: topicBodySchema,
        response: { 200: topicWriteResponseSchema },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "bots:write");
      const { topic, reassigned } = await topics.update(bot, request.params.topicId, request.body);
      return { topic: dto(topic), reassigned };
    },
  );

  app.delete(
    "/v1/bots/:botId/topics/:topicId",
    {
      config: identity,
      schema: {
        operationId: "deleteTopic",
        summary: "Delete a topic (its questions become unassigned or move to another topic)",
        params: topicParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { bot } = await authorizeBot(request, request.params.botId, "bots:write");
      await topics.remove(bot, request.params.topicId);
      return reply.code(204).send(null);
    },
  );

  app.put(
    "/v1/bots/:botId/topic-settings",
    {
      config: identity,
      schema: {
        operationId: "updateTopicSettings",
        summary: "Set the least similarity (0..1) for a question to get a topic; recent questions are re-assigned",
        params: botParams,
        body: topicSettingsSchema,
        response: { 200: z.object({ threshold: z.number(), reassigned: z.number().int() }) },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "bots:write");
      const reassigned = await topics.setThreshold(bot, request.body.threshold);
      return { threshold: request.body.threshold, reassigned };
    },
  );

  app.get(
    "/v1/bots/:botId/topics/suggestions",
    {
      config: identity,
      schema: {
        operationId: "suggestTopics",
        summary: "Clusters of recent questions without a topic, with top terms, examples and a ready topic proposal",
        params: botParams,
        querystring: suggestionsQuerySchema,
        response: { 200: topicSuggestionsSchema },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "analytics:read");
      return topics.suggest(bot, request.query.days);
    },
  );

  app.get(
    "/v1/bots/:botId/topics/stats",
    {
      config: identity,
      schema: {
        operationId: "getTopicStats",
        summary: "Per-topic daily figures (from the daily aggregation) over a range of UTC days",
        params: botParams,
        querystring: topicSeriesQuerySchema,
        response: { 200: topicSeriesSchema },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "analytics:read");
      return { topics: await getTopicSeries(db, { botId: bot.id, ...request.query }) };
    },
  );
};
