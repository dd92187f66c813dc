/**
 * Evaluation sets and runs of a bot (evals/service.ts). They live in the chat service
 * because a run is retrieval, which runs here. Reading needs `bots:read`, changing sets
 * and starting runs `bots:write` (OWNER/ADMIN, or an API key with that scope).
 */
import { evalRunConfigSchema } from "@docent/contracts/json";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "./deps";

const identity = { auth: { kind: "identity" as const } };
const botParams = z.object({ botId: z.uuid() });
const setParams = botParams.extend({ setId: z.uuid() });
const expectation = z.strictObject({
  documentId: z.string().trim().min(1).max(64).optional(),
  document: z.string().trim().min(1).max(500).optional().describe("A document's name, when it is unique in the bot."),
  chunkId: z.string().trim().min(1).max(64).optional(),
  text: z.string().trim().min(1).max(2000).optional().describe("A passage the relevant chunk holds (the answer's sentence)."),
});
const questionInput = z.strictObject({
  question: z.string().max(2000),
  expected: z.array(expectation).max(20),
});
const page = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Imports up to EVAL_MAX_QUESTIONS questions in one body. */
const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;

export const evalRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { authorizeBot, evals } = deps;
  const read = (request: Parameters<typeof authorizeBot>[0], botId: string) => authorizeBot(request, botId, "bots:read");
  const write = (request: Parameters<typeof authorizeBot>[0], botId: string) => authorizeBot(request, botId, "bots:write");

  app.get("/v1/bots/:botId/eval-sets", { config: identity, schema: { params: botParams } }, async (request) => {
    const { bot } = await read(request, request.params.botId);
    return { items: await evals.listSets(bot) };
  });

  app.post(
    "/v1/bots/:botId/eval-sets",
    {
      config: identity,
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        params: botParams,
        body: z.strictObject({
          name: z.string().trim().min(1).max(255),
          description: z.string().trim().max(2000).nullable().optional(),
          questions: z.array(questionInput).max(10_000).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { bot, access } = await write(request, request.params.botId);
      return reply.status(201).send(await evals.createSet(bot, access.userId, request.body));
    },
  );

  app.get("/v1/bots/:botId/eval-sets/:setId", { config: identity, schema: { params: setParams, querystring: page } }, async (request) => {
    const { bot } = await read(request, request.params.botId);
    return evals.getSet(bot, request.params.setId, request.query);
  });

  app.patch(
    "/v1/bots/:botId/eval-sets/:setId",
    {
      config: identity,
      schema: {
        params: setParams,
        body: z.strictObject({ name: z.string().trim().min(1).max(255).optional(), description: z.string().trim().max(2000).nullable().optional() }),
      },
    },
    async (request) => {
      const { bot } = await write(request, request.params.botId);
      return evals.updateSet(bot, request.params.setId, request.body);
    },
  );

  app.delete("/v1/bots/:botId/eval-sets/:setId", { config: identity, schema: { params: setParams } }, async (request, reply) => {
    const { bot } = await write(request, request.params.botId);
    await evals.deleteSet(bot, request.params.setId);
    return reply.status(204).send();
  });

  app.post(
    "/v1/bots/:botId/eval-sets/:setId/questions",
    { config: identity, bodyLimit: IMPORT_BODY_LIMIT, schema: { params: setParams, body: z.strictObject({ questions: z.array(questionInput).min(1).max(10_000) }) } },
    async (request, reply) => {
      const { bot } = await write(request, request.params.botId);
      return reply.status(201).send({ items: await evals.addQuestions(bot, request.params.setId, request.body.questions) });
    },
  );

  app.post(
    "/v1/bots/:botId/eval-sets/:setId/import",
    {
      config: identity,
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        params: setParams,
        body: z.strictObject({
          format: z.enum(["csv", "json"]),
          content: z.string().min(1).max(IMPORT_BODY_LIMIT),
        }),
      },
    },
    async (request, reply) => {
      const { bot } = await write(request, request.params.botId);
      return reply.status(201).send(await evals.importQuestions(bot, request.params.setId, request.body));
    },
  );

  app.post(
    "/v1/bots/:botId/eval-sets/:setId/from-conversation",
    {
      config: identity,
      schema: {
        params: setParams,
        body: z.strictObject({
          messageId: z.uuid().describe("The answer (assistant message) to turn into a test case."),
          question: z.string().trim().min(1).max(2000).optional().describe("Defaults to the question the answer replied to."),
          expected: z.array(expectation).min(1).max(20).describe("The right source(s), picked by the admin."),
        }),
      },
    },
    async (request, reply) => {
      const { bot } = await write(request, request.params.botId);
      return reply.status(201).send(await evals.addFromConversation(bot, request.params.setId, request.body));
    },
  );

  app.post(
    "/v1/bots/:botId/eval-sets/:setId/generate",
    {
      config: identity,
      schema: {
        params: setParams,
        body: z.strictObject({
          count: z.number().int().min(1).max(1000).default(50),
          withModel: z.boolean().default(false).describe("Have the workspace's language model write the questions (at most 100 per request)."),
        }),
      },
    },
    async (request, reply) => {
      const { bot } = await write(request, request.params.botId);
      return reply.status(201).send(await evals.generate(bot, request.params.setId, request.body.count, request.body.withModel));
    },
  );

  const questionParams = setParams.extend({ questionId: z.uuid() });
  app.patch(
    "/v1/bots/:botId/eval-sets/:setId/questions/:questionId",
    {
      config: identity,
      schema: {
        params: questionParams,
        body: z.strictObject({ question: z.string().max(2000).optional(), expected: z.array(expectation).min(1).max(20).optional() }),
      },
    },
    async (request) => {
      const { bot } = await write(request, request.params.botId);
      return evals.updateQuestion(bot, request.params.setId, request.params.questionId, request.body);
    },
  );

  app.delete("/v1/bots/:botId/eval-sets/:setId/questions/:questionId", { config: identity, schema: { params: questionParams } }, async (request, reply) => {
    const { bot } = await write(request, request.params.botId);
    await evals.deleteQuestion(bot, request.params.setId, request.params.questionId);
    return reply.status(204).send();
  });

  app.post(
    "/v1/bots/:botId/eval-sets/:setId/runs",
    {
      config: identity,
      schema: {
        params: setParams,
        body: z
          .strictObject({
            configs: z.array(evalRunConfigSchema).min(1).max(12).optional().describe("Settings to score; default: vector, keyword and hybrid with the bot's weights."),
          })
          .default({}),
      },
    },
    async (request, reply) => {
      const { bot, access } = await write(request, request.params.botId);
      return reply.status(202).send(await evals.startRun(bot, request.params.setId, access.userId, request.body.configs));
    },
  );

  app.get("/v1/bots/:botId/eval-sets/:setId/runs", { config: identity, schema: { params: setParams } }, async (request) => {
    const { bot } = await read(request, request.params.botId);
    return { items: await evals.listRuns(bot, request.params.setId) };
  });

  const runParams = botParams.extend({ runId: z.uuid() });
  app.get("/v1/bots/:botId/eval-runs/:runId", { config: identity, schema: { params: runParams } }, async (request) => {
    const { bot } = await read(request, request.params.botId);
    return evals.getRun(bot, request.params.runId);
  });

  app.get(
    "/v1/bots/:botId/eval-runs/:runId/misses",
    { config: identity, schema: { params: runParams, querystring: page.extend({ config: z.coerce.number().int().min(0).max(11).optional() }) } },
    async (request) => {
      const { bot } = await read(request, request.params.botId);
      const { config, ...rest } = request.query;
      return { items: await evals.misses(bot, request.params.runId, { ...rest, ...(config === undefined ? {} : { configIndex: config }) }) };
    },
  );
};
