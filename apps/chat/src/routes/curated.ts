/**
 * Curated answers of a bot (list, create, edit, disable, delete) and the
 * unanswered-questions inbox (grouped open questions, mark handled). Every route
 * authorises the bot first: another tenant's bot, or its curated answers, read as 404.
 */
import { chatBotParamsSchema as botParams } from "@docent/contracts/chat";
import { noContent } from "@docent/contracts/common";
import {
  createCuratedAnswerBodySchema,
  curatedAnswerPageSchema,
  curatedAnswerParamsSchema,
  curatedAnswerSchema,
  inboxQuerySchema,
  inboxResponseSchema,
  listCuratedAnswersQuerySchema,
  markHandledBodySchema,
  markHandledResponseSchema,
  updateCuratedAnswerBodySchema,
} from "@docent/contracts/curated";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "./deps";

const identity = { auth: { kind: "identity" as const } };

export const curatedRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { authorizeBot, curated, env } = deps;

  app.get(
    "/v1/bots/:botId/curated-answers",
    {
      config: identity,
      schema: {
        operationId: "listCuratedAnswers",
        summary: "A bot's curated answers, newest first (search matches question or answer)",
        params: botParams,
        querystring: listCuratedAnswersQuerySchema,
        response: { 200: curatedAnswerPageSchema },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "bots:read");
      return curated.list(bot, request.query);
    },
  );

  app.post(
    "/v1/bots/:botId/curated-answers",
    {
      config: identity,
      schema: {
        operationId: "createCuratedAnswer",
        summary: "Write the answer to a question; later questions close enough to it get this answer",
        params: botParams,
        body: createCuratedAnswerBodySchema,
        response: { 201: curatedAnswerSchema.extend({ handledQuestions: z.number().int().min(0) }) },
      },
    },
    async (request, reply) => {
      const { bot, access } = await authorizeBot(request, request.params.botId, "bots:write");
      const created = await curated.create(bot, request.body, access.userId ?? null);
      return reply.status(201).send(created);
    },
  );

  app.get(
    "/v1/bots/:botId/curated-answers/:curatedAnswerId",
    {
      config: identity,
      schema: {
        operationId: "getCuratedAnswer",
        summary: "One curated answer",
        params: curatedAnswerParamsSchema,
        response: { 200: curatedAnswerSchema },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "bots:read");
      return curated.get(bot, request.params.curatedAnswerId);
    },
  );

  app.patch(
    "/v1/bots/:botId/curated-answers/:curatedAnswerId",
    {
      config: identity,
      schema: {
        operationId: "updateCuratedAnswer",
        summary: "Edit a curated answer's question (embedded again), answer, or enable/disable it",
        params: curatedAnswerParamsSchema,
        body: updateCuratedAnswerBodySchema,
        response: { 200: curatedAnswerSchema },
      },
    },
    async (request) => {
      const { bot, access } = await authorizeBot(request, request.params.botId, "bots:write");
      return curated.update(bot, request.params.curatedAnswerId, request.body, access.userId ?? null);
    },
  );

  app.delete(
    "/v1/bots/:botId/curated-answers/:curatedAnswerId",
    {
      config: identity,
      schema: {
        operationId: "deleteCuratedAnswer",
        summary: "Delete a curated answer (answers it gave stay in their transcripts)",
        params: curatedAnswerParamsSchema,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const { bot } = await authorizeBot(request, request.params.botId, "bots:write");
      await curated.remove(bot, request.params.curatedAnswerId);
      return reply.status(204).send();
    },
  );

  app.get(
    "/v1/bots/:botId/inbox",
    {
      config: identity,
      schema: {
        operationId: "getUnansweredInbox",
        summary:
          "Open questions of a period that were refused, found no good source or were rated down, grouped by similarity",
        params: botParams,
        querystring: inboxQuerySchema,
        response: { 200: inboxResponseSchema },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "analytics:read");
      return curated.inbox(bot, request.query, env.ANALYTICS_WEAK_SCORE);
    },
  );

  app.post(
    "/v1/bots/:botId/inbox/handled",
    {
      config: identity,
      schema: {
        operationId: "markInboxHandled",
        summary: "Mark questions handled: they leave the inbox",
        params: botParams,
        body: markHandledBodySchema,
        response: { 200: markHandledResponseSchema },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "bots:write");
      return curated.markHandled(bot, request.body.queryLogIds);
    },
  );
};
