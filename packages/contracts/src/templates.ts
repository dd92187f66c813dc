/** Bot templates. */
import { ragConfigSchema } from "./json";
import { z } from "zod";
import { uuid } from "./common";

export const templateSchema = z
  .object({
    id: uuid,
    slug: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    category: z.string().nullable(),
    defaultRagConfig: ragConfigSchema,
    sampleSystemPrompt: z.string().nullable(),
    sampleQueries: z.array(z.string()),
    iconUrl: z.string().nullable(),
  })
  .describe("Template");
export type TemplateDto = z.infer<typeof templateSchema>;
