/** Versioned system prompts; exactly one is active per bot. */
import { z } from "zod";
import { timestamp, uuid } from "./common";
import { botParamsSchema } from "./bots";
import { nameText } from "./names";

export const promptParamsSchema = botParamsSchema.extend({ promptId: uuid });

export const promptSchema = z
  .object({
    id: uuid,
    botId: uuid,
    version: z.number().int().min(1),
    name: z.string(),
    content: z.string(),
    isActive: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("Prompt");
export type PromptDto = z.infer<typeof promptSchema>;

export const createPromptBodySchema = z.strictObject({
  name: nameText(1, 255),
  content: z.string().trim().min(1).max(20_000),
  /** Make it the active prompt at once. */
  activate: z.boolean().default(false),
});

export const updatePromptBodySchema = z.strictObject({
  name: nameText(1, 255).optional(),
  content: z.string().trim().min(1).max(20_000).optional(),
});
