/**
 * Evaluation sets and runs of a bot (served by the chat service, which runs retrieval).
 * Stored rows are described field by field and passed on whole (loose objects), so a column
 * added to a table reaches the admin without a contract change.
 */
import { z } from "zod";
import { chatBotParamsSchema, sentAt } from "./chat";
import { uuid } from "./common";
import { evalRunConfigSchema } from "./json";

export const evalSetParamsSchema = chatBotParamsSchema.extend({ setId: uuid });
export const evalQuestionParamsSchema = evalSetParamsSchema.extend({ questionId: uuid });
export const evalRunParamsSchema = chatBotParamsSchema.extend({ runId: uuid });

export const evalExpectationInputSchema = z.strictObject({
  documentId: z.string().trim().min(1).max(64).optional(),
  document: z.string().trim().min(1).max(500).optional().describe("A document's name, when it is unique in the bot."),
  chunkId: z.string().trim().min(1).max(64).optional(),
  text: z.string().trim().min(1).max(2000).optional().describe("A passage the relevant chunk holds (the answer's sentence)."),
});
export const evalQuestionInputSchema = z.strictObject({
  question: z.string().max(2000),
  expected: z.array(evalExpectationInputSchema).max(20),
});

export const evalPageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const evalMissesQuerySchema = evalPageQuerySchema.extend({ config: z.coerce.number().int().min(0).max(11).optional() });

export const createEvalSetBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(255),
  description: z.string().trim().max(2000).nullable().optional(),
  questions: z.array(evalQuestionInputSchema).max(10_000).optional(),
});
export const updateEvalSetBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().trim().max(2000).nullable().optional(),
});
export const addEvalQuestionsBodySchema = z.strictObject({ questions: z.array(evalQuestionInputSchema).min(1).max(10_000) });
export const importEvalQuestionsBodySchema = (maxChars: number) =>
  z.strictObject({ format: z.enum(["csv", "json"]), content: z.string().min(1).max(maxChars) });
export const evalQuestionFromConversationBodySchema = z.strictObject({
  messageId: uuid.describe("The answer (assistant message) to turn into a test case."),
  question: z.string().trim().min(1).max(2000).optional().describe("Defaults to the question the answer replied to."),
  expected: z.array(evalExpectationInputSchema).min(1).max(20).describe("The right source(s), picked by the admin."),
});
export const generateEvalQuestionsBodySchema = z.strictObject({
  count: z.number().int().min(1).max(1000).default(50),
  withModel: z.boolean().default(false).describe("Have the workspace's language model write the questions (at most 100 per request)."),
});
export const updateEvalQuestionBodySchema = z.strictObject({
  question: z.string().max(2000).optional(),
  expected: z.array(evalExpectationInputSchema).min(1).max(20).optional(),
});
export const startEvalRunBodySchema = z
  .strictObject({
    configs: z
      .array(evalRunConfigSchema)
      .min(1)
      .max(12)
      .optional()
      .describe("Settings to score; default: vector, keyword and hybrid with the bot's weights."),
  })
  .default({});

/** A setting as stored (validated by evalRunConfigSchema when written). */
const storedConfig = z.looseObject(evalRunConfigSchema.shape);

/** What retrieval should find, as stored: a document, optionally a chunk or a passage of it. */
const storedExpectation = z.looseObject({ documentId: uuid, chunkId: uuid.optional(), text: z.string().optional() });

export const evalSetSchema = z
  .looseObject({
    id: uuid,
    botId: uuid,
    name: z.string(),
    description: z.string().nullable(),
    createdBy: uuid.nullable(),
    createdAt: sentAt,
    updatedAt: sentAt,
  })
  .describe("EvalSet");

export const evalQuestionSchema = z
  .looseObject({
    id: uuid,
    setId: uuid,
    question: z.string(),
    expected: z.array(storedExpectation),
    source: z.string(),
    synthetic: z.boolean(),
    sourceMessageId: uuid.nullable(),
    createdAt: sentAt,
  })
  .describe("EvalQuestion");

const evalConfigResult = z.object({
  config: storedConfig,
  label: z.string(),
  metrics: z.object({
    recall: z.object({ "1": z.number(), "3": z.number(), "5": z.number(), "10": z.number() }),
    mrr: z.number(),
    ndcg10: z.number(),
  }),
  judged: z.number().int(),
  unjudged: z.number().int(),
  rerankFailures: z.number().int(),
  ms: z.number(),
});

/** A run as stored. */
export const evalRunRowSchema = z
  .looseObject({
    id: uuid,
    setId: uuid,
    botId: uuid,
    status: z.string(),
    configs: z.array(storedConfig),
    results: z.array(evalConfigResult).nullable().describe("Per setting, in `configs` order; null until SUCCEEDED."),
    questionCount: z.number().int(),
    progress: z.number().int(),
    error: z.string().nullable(),
    createdBy: uuid.nullable(),
    createdAt: sentAt,
    startedAt: sentAt.nullable(),
    finishedAt: sentAt.nullable(),
  })
  .describe("EvalRunRow");

/** A run with its progress bound and the best setting (with the bot settings that apply it). */
export const evalRunSchema = evalRunRowSchema
  .extend({
    totalSteps: z.number().int(),
    best: z
      .looseObject({ index: z.number().int(), label: z.string(), config: storedConfig, ragConfigPatch: z.record(z.string(), z.unknown()) })
      .nullable(),
  })
  .describe("EvalRun");

export const evalSetSummarySchema = evalSetSchema
  .extend({ questionCount: z.number().int(), syntheticCount: z.number().int(), latestRun: evalRunRowSchema.nullable() })
  .describe("EvalSetSummary");

export const evalSetDetailSchema = evalSetSchema
  .extend({ questionCount: z.number().int(), questions: z.array(evalQuestionSchema), runs: z.array(evalRunSchema) })
  .describe("EvalSetDetail");

export const evalMissSchema = z
  .looseObject({
    id: uuid,
    runId: uuid,
    configIndex: z.number().int(),
    questionId: uuid.nullable(),
    question: z.string(),
    expected: z.array(storedExpectation),
    retrieved: z.array(
      z.object({ chunkId: z.string(), documentId: z.string(), documentName: z.string(), page: z.number().nullable(), score: z.number(), snippet: z.string() }),
    ),
    kind: z.string().describe('"miss", or "unjudged" when no chunk matches what the question expects.'),
  })
  .describe("EvalMiss");
