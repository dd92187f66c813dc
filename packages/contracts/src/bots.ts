/**
 * Bots and their retrieval/generation settings. Create and update take *partial* RAG and
 * model settings: the server merges them over the template (or current) values and then
 * validates the whole with the database's own schemas (`ragConfigSchema`,
 * `modelSettingsSchema`), so the bounds live in one place.
 */
import { modelSettingsSchema, ragConfigSchema, retrievalModes } from "./json";
import { z } from "zod";
import { nullableTimestamp, text, timestamp, uuid } from "./common";
import { botStatuses, textSearchLanguages } from "./enums";
import { workspaceParamsSchema } from "./workspaces";
import { nameText } from "./names";

export const botParamsSchema = workspaceParamsSchema.extend({ botId: uuid });

export const ragConfigPatchSchema = z.strictObject({
  chunkSize: z.number().int().min(100).max(4000).optional().describe("Tokens per chunk, 100-4000."),
  chunkOverlap: z.number().int().min(0).max(3999).optional().describe("Must be below chunkSize."),
  topK: z.number().int().min(1).max(50).optional(),
  retrievalMode: z.enum(retrievalModes).optional(),
  minScore: z.number().min(0).max(1).optional(),
  fusionWeights: z
    .strictObject({
      vector: z.number().min(0).max(10).optional(),
      keyword: z.number().min(0).max(10).optional(),
    })
    .optional(),
  rerank: z
    .strictObject({
      enabled: z.boolean().optional(),
      topN: z.number().int().min(2).max(100).optional().describe("Candidates of the mode sent to the reranker, 2-100."),
    })
    .optional()
    .describe("Rerank the mode's top N with the workspace's (or platform's) reranker; the mode's order is kept when it fails."),
  context: z
    .strictObject({
      neighbours: z.number().int().min(0).max(5).optional().describe("Chunks added either side of each retrieved one."),
      sameSection: z.boolean().optional().describe("Add the rest of the retrieved chunk's section (same heading path)."),
      maxTokens: z.number().int().min(0).max(8000).optional().describe("Extra tokens all widened passages may add together."),
    })
    .optional()
    .describe("Answers: widen retrieved passages with their neighbours or section; citations still name the retrieved chunk."),
});
export type RagConfigPatch = z.infer<typeof ragConfigPatchSchema>;

/** The RAG settings a plan without `allowAdvancedRagConfig` may not change. */
export const advancedRagConfigKeys = ["retrievalMode", "minScore", "fusionWeights", "rerank"] as const;

export const modelSettingsPatchSchema = z.strictObject({
  model: z.string().trim().min(1).max(200).nullable().optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(16).max(8192).optional(),
  strict: z.boolean().optional(),
  refusalText: z.string().trim().min(1).max(1000).optional(),
  historyTokenBudget: z.number().int().min(0).max(16000).optional(),
  curatedThreshold: z
    .number()
    .min(0, "curatedThreshold must be between 0 and 1")
    .max(1, "curatedThreshold must be between 0 and 1")
    .optional()
    .describe("Cosine similarity (0-1) a question needs with a curated answer's question to get that answer."),
});
export type ModelSettingsPatch = z.infer<typeof modelSettingsPatchSchema>;

export const botSchema = z
  .object({
    id: uuid,
    workspaceId: uuid,
    name: z.string(),
    description: z.string().nullable(),
    publicId: z.string().describe("Unguessable id for public links and the widget's data-bot attribute."),
    templateId: uuid.nullable(),
    ragConfig: ragConfigSchema,
    modelSettings: modelSettingsSchema,
    activePromptId: uuid.nullable(),
    status: z.enum(botStatuses),
    language: z.string(),
    lastActivityAt: nullableTimestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("Bot");
export type BotDto = z.infer<typeof botSchema>;

/** A bot in the list, with the size of its knowledge base. */
export const botListItemSchema = botSchema
  .extend({
    documentCount: z.number().int().min(0).describe("Documents of the bot, in any status."),
    chunkCount: z.number().int().min(0).describe("Searchable chunks of its processed documents."),
  })
  .describe("BotListItem");
export type BotListItemDto = z.infer<typeof botListItemSchema>;

export const createBotBodySchema = z.strictObject({
  name: nameText(1, 255),
  description: text(0, 2000).nullable().optional(),
  /** Start from a template: its RAG defaults and sample prompt (made the active prompt). */
  templateId: uuid.optional(),
  ragConfig: ragConfigPatchSchema.optional(),
  modelSettings: modelSettingsPatchSchema.optional(),
  language: z.enum(textSearchLanguages).optional(),
});

export const updateBotBodySchema = z.strictObject({
  name: nameText(1, 255).optional(),
  description: text(0, 2000).nullable().optional(),
  ragConfig: ragConfigPatchSchema.optional(),
  modelSettings: modelSettingsPatchSchema.optional(),
  language: z.enum(textSearchLanguages).optional(),
  /** Only READY and DISABLED can be set by hand; the others belong to ingestion. */
  status: z.enum(["READY", "DISABLED"]).optional(),
});
