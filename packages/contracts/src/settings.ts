/**
 * Workspace model providers (BYOK). API keys are write-only: responses carry only a hint
 * like "sk-...abcd" and whether a key is set.
 */
import { z } from "zod";
import { nullableTimestamp } from "./common";
import { modelProviders, rerankProviders } from "./enums";

const providerPatch = z.strictObject({
  provider: z.enum(modelProviders).nullable().optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).max(500).nullable().optional(),
  model: z.string().trim().min(1).max(200).nullable().optional(),
  /** Omit to keep the stored key, null to remove it, a string to replace it. */
  apiKey: z.string().trim().min(8).max(500).nullable().optional(),
});

/**
 * The workspace's reranker: `tei` (text-embeddings-inference) or the Cohere shape
 * (`cohere`, `jina`, `vllm`), at `url`, the full rerank endpoint (Cohere's and Jina's
 * public ones when omitted). Bots use it when their rag config turns reranking on.
 */
const rerankPatch = z.strictObject({
  provider: z.enum(rerankProviders).nullable().optional(),
  url: z.url({ protocol: /^https?$/ }).max(500).nullable().optional(),
  model: z.string().trim().min(1).max(200).nullable().optional(),
  apiKey: z.string().trim().min(8).max(500).nullable().optional(),
});

export const updateSettingsBodySchema = z.strictObject({
  llm: providerPatch.optional(),
  embedding: providerPatch.optional(),
  rerank: rerankPatch.optional(),
});

const providerView = z.object({
  provider: z.enum(modelProviders).nullable(),
  baseUrl: z.string().nullable(),
  model: z.string().nullable(),
  hasApiKey: z.boolean(),
  apiKeyHint: z.string().nullable(),
});

const rerankView = z.object({
  provider: z.enum(rerankProviders).nullable(),
  url: z.string().nullable(),
  model: z.string().nullable(),
  hasApiKey: z.boolean(),
  apiKeyHint: z.string().nullable(),
});

export const settingsSchema = z
  .object({ llm: providerView, embedding: providerView, rerank: rerankView, updatedAt: nullableTimestamp })
  .describe("TenantSettings");
export type SettingsDto = z.infer<typeof settingsSchema>;
