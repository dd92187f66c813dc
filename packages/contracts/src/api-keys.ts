/** Integrator API keys (`Authorization: Bearer dk_live_...`). */
import { apiKeyScopes } from "./json";
import { z } from "zod";
import { nullableTimestamp, timestamp, uuid } from "./common";
import { workspaceParamsSchema } from "./workspaces";
import { nameText } from "./names";

export { apiKeyScopes };
export const API_KEY_PREFIX = "dk_live_";

export const apiKeyParamsSchema = workspaceParamsSchema.extend({ apiKeyId: uuid });

export const apiKeySchema = z
  .object({
    id: uuid,
    name: z.string(),
    prefix: z.string().describe('The first characters of the secret, e.g. "dk_live_AbCd1234".'),
    scopes: z.array(z.enum(apiKeyScopes)),
    botId: uuid.nullable().describe("When set, the key works only for this bot."),
    lastUsedAt: nullableTimestamp,
    expiresAt: nullableTimestamp,
    revokedAt: nullableTimestamp,
    createdAt: timestamp,
  })
  .describe("ApiKey");
export type ApiKeyDto = z.infer<typeof apiKeySchema>;

export const createApiKeyBodySchema = z.strictObject({
  name: nameText(1, 120),
  scopes: z
    .array(z.enum(apiKeyScopes))
    .min(1)
    .max(apiKeyScopes.length)
    .refine((s) => new Set(s).size === s.length, "scopes must not repeat"),
  botId: uuid.nullable().optional(),
  expiresAt: timestamp.nullable().optional().describe("Must be in the future."),
});

/** The only response that ever contains the secret. */
export const createdApiKeySchema = apiKeySchema
  .extend({ secret: z.string().describe("Shown once; store it now. Docent keeps only a hash.") })
  .describe("CreatedApiKey");
