/**
 * Evaluation sets and runs of a bot (evals/service.ts). They live in the chat service
 * because a run is retrieval, which runs here. Reading needs `bots:read`, changing sets
 * and starting runs `bots:write` (OWNER/ADMIN, or an API key with that scope).
 */
import { listOf, noContent } from "@docent/contracts/common";
import {
  addEvalQuestionsBodySchema,
  createEvalSetBodySchema,
  evalMissesQuerySchema,
  evalMissSchema,
  evalPageQuerySchema,
  evalQuestionFromConversationBodySchema,
  evalQuestionParamsSchema as questionParams,
  evalQuestionSchema,
  evalRunParamsSchema as runParams,
  evalRunSchema,
  evalSetDetailSchema,
  evalSetParamsSchema as setParams,
  evalSetSchema,
  evalSetSummarySchema,
  generateEvalQuestionsBodySchema,
  importEvalQuestionsBodySchema,
  startEvalRunBodySchema,
  updateEvalQuestionBodySchema,
  updateEvalSetBodySchema,
} from "@docent/contracts/evals";
import { chatBotParamsSchema as botParams } from "@docent/contracts/chat";
import type { FastifySchema } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "./deps";

const identity = { auth: { kind: "identity" as const } };
const tags = ["evaluations"];

/** Imports up to EVAL_MAX_QUESTIONS questions in one body. */
const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;

/** Every evaluation route: any identity (the bot check names the scope), documented under one tag. */
const operation = <S extends FastifySchema>(operationId: string, summary: string, schema: S, bodyLimit?: number) => ({
  config: identity,
  ...(bodyLimit ? { bodyLimit } : {}),
  schema: { operationId, summary, tags, ...schema },
});

export const evalRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { authorizeBot, evals } = deps;
  const read = (request: Parameters<typeof authorizeBot>[0], botId: string) => authorizeBot(request, botId, "bots:read");
  const write = (request: Parameters<typeof authorizeBot>[0], botId: string) => authorizeBot(request, botId, "bots:write");
  const sets = "/v1/bots/:botId/eval-sets";
  const set = `${sets}/:setId`;
  const runs = "/v1/bots/:botId/eval-runs/:runId";

  app.get(
    sets,
    operation("listEvalSets", "A bot's evaluation sets, with question counts and each set's latest run", {
      params: botParams,
      response: { 200: listOf(evalSetSummarySchema) },
    }),
    async (request) => {
      const { bot } = await read(request, request.params.botId);
      return { items: await evals.listSets(bot) };
    },
  );

  app.post(
    sets,
    operation(
      "createEvalSet",
      "Create an evaluation set, optionally with its questions",
      { params: botParams, body: createEvalSetBodySchema, response: { 201: evalSetSchema.extend({ questionCount: z.number().int() }) } },
      IMPORT_BODY_LIMIT,
    ),
    async (request, reply) => {
      const { bot, access } = await write(request, request.params.botId);
      return reply.status(201).send(await evals.createSet(bot, access.userId, request.body));
    },
  );

  app.get(
    set,
    operation("getEvalSet", "An evaluation set with a page of its questions and its runs", {
      params: setParams,
      querystring: evalPageQuerySchema,
      response: { 200: evalSetDetailSchema },
    }),
    async (request) => {
      const { bot } = await read(request, request.params.botId);
      return evals.getSet(bot, request.params.setId, request.query);
    },
  );

  app.patch(
    set,
    operation("updateEvalSet", "Rename an evaluation set or change its description", {
      params: setParams,
      body: updateEvalSetBodySchema,
      response: { 200: evalSetSchema },
    }),
    async (request) => {
      const { bot } = await write(request, request.params.botId);
      return evals.updateSet(bot, request.params.setId, request.body);
    },
  );

  app.delete(
    set,
    operation("deleteEvalSet", "Delete an evaluation set with its questions and runs", { params: setParams, response: { 204: noContent } }),
    async (request, reply) => {
      const { bot } = await write(request, request.params.botId);
      await evals.deleteSet(bot, request.params.setId);
      return reply.status(204).send();
    },
  );

  app.post(
    `${set}/questions`,
    operation(
      "addEvalQuestions",
      "Add questions to an evaluation set",
      { params: setParams, body: addEvalQuestionsBodySchema, response: { 201: listOf(evalQuestionSchema) } },
      IMPORT_BODY_LIMIT,
    ),
    async (request, reply) => {
      const { bot } = await write(request, request.params.botId);
      return reply.status(201).send({ items: await evals.addQuestions(bot, request.params.setId, request.body.questions) });
    },
  );

  app.post(
    `${set}/import`,
    operation(
      "importEvalQuestions",
      "Import questions from CSV or JSON text",
      { params: setParams, body: importEvalQuestionsBodySchema(IMPORT_BODY_LIMIT), response: { 201: z.object({ imported: z.number().int() }) } },
      IMPORT_BODY_LIMIT,
    ),
    async (request, reply) => {
      const { bot } = await write(request, request.params.botId);
      return reply.status(201).send(await evals.importQuestions(bot, request.params.setId, request.body));
    },
  );

  app.post(
    `${set}/from-conversation`,
    operation("addEvalQuestionFromConversation", "Turn an answer of a conversation into a test case, with the right sources", {
      params: setParams,
      body: evalQuestionFromConversationBodySchema,
      response: { 201: evalQuestionSchema },
    }),
    async (request, reply) => {
      const { bot } = await write(request, request.params.botId);
      return reply.status(201).send(await evals.addFromConversation(bot, request.params.setId, request.body));
    },
  );

  app.post(
    `${set}/generate`,
    operation("generateEvalQuestions", "Generate questions from the bot's documents (or with the workspace's language model)", {
      params: setParams,
      body: generateEvalQuestionsBodySchema,
      response: { 201: z.object({ generated: z.number().int(), synthetic: z.boolean(), withModel: z.boolean() }) },
    }),
    async (request, reply) => {
      const { bot } = await write(request, request.params.botId);
      return reply.status(201).send(await evals.generate(bot, request.params.setId, request.body.count, request.body.withModel));
    },
  );

  app.patch(
    `${set}/questions/:questionId`,
    operation("updateEvalQuestion", "Change a question or what it expects", {
      params: questionParams,
      body: updateEvalQuestionBodySchema,
      response: { 200: evalQuestionSchema },
    }),
    async (request) => {
      const { bot } = await write(request, request.params.botId);
      return evals.updateQuestion(bot, request.params.setId, request.params.questionId, request.body);
    },
  );

  app.delete(
    `${set}/questions/:questionId`,
    operation("deleteEvalQuestion", "Delete a question from an evaluation set", { params: questionParams, response: { 204: noContent } }),
    async (request, reply) => {
      const { bot } = await write(request, request.params.botId);
      await evals.deleteQuestion(bot, request.params.setId, request.params.questionId);
      return reply.status(204).send();
    },
  );

  app.post(
    `${set}/runs`,
    operation("startEvalRun", "Queue a run of the set over one or more retrieval settings", {
      params: setParams,
      body: startEvalRunBodySchema,
      response: { 202: evalRunSchema },
    }),
    async (request, reply) => {
      const { bot, access } = await write(request, request.params.botId);
      return reply.status(202).send(await evals.startRun(bot, request.params.setId, access.userId, request.body.configs));
    },
  );

  app.get(
    `${set}/runs`,
    operation("listEvalRuns", "The runs of an evaluation set, newest first", { params: setParams, response: { 200: listOf(evalRunSchema) } }),
    async (request) => {
      const { bot } = await read(request, request.params.botId);
      return { items: await evals.listRuns(bot, request.params.setId) };
    },
  );

  app.get(
    runs,
    operation("getEvalRun", "A run: its progress, and once done each setting's metrics and the best one", {
      params: runParams,
      response: { 200: evalRunSchema },
    }),
    async (request) => {
      const { bot } = await read(request, request.params.botId);
      return evals.getRun(bot, request.params.runId);
    },
  );

  app.get(
    `${runs}/misses`,
    operation("listEvalRunMisses", "Questions a run's setting missed, with what was expected and what came back", {
      params: runParams,
      querystring: evalMissesQuerySchema,
      response: { 200: listOf(evalMissSchema) },
    }),
    async (request) => {
      const { bot } = await read(request, request.params.botId);
      const { config, ...rest } = request.query;
      return { items: await evals.misses(bot, request.params.runId, { ...rest, ...(config === undefined ? {} : { configIndex: config }) }) };
    },
  );
};
