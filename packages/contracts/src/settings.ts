/**
 * Workspace model providers (BYOK). API keys are write-only: responses carry only a hint
 * like "sk-...abcd" and whether a key is set.
 */
import { z } from "zod";
import { nullableTimestamp } from "./common";
import { modelProviders } from "./enums";

const providerPatch = z.strictObject({
  provider: z.enum(modelProviders).nullable().optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).max(500).nullable().optional(),
  model: z.string().trim().min(1).max(200).nullable().optional(),
  /** Omit to keep the stored key, null to remove it, a string to replace it. */
  apiKey: z.string().trim().min(8).max(500).nullable().optional(),
});

export const updateSettingsBodySchema = z.strictObject({
  llm: providerPatch.optional(),
  embedding: providerPatch.optional(),
});

const providerView = z.object({
  provider: z.enum(modelProviders).nullable(),
  baseUrl: z.string().nullable(),
  model: z.string().nullable(),
  hasApiKey: z.boolean(),
  apiKeyHint: z.string().nullable(),
});

export const settingsSchema = z
  .object({ llm: providerView, embedding: providerView, updatedAt: nullableTimestamp })
  .describe("TenantSettings");
export type SettingsDto = z.infer<typeof settingsSchema>;
