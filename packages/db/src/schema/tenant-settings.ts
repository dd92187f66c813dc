import { relations } from "drizzle-orm";
import { pgTable, text, uuid, varchar } from "drizzle-orm/pg-core";
import { timestamps } from "./_columns";
import { modelProvider, rerankProvider } from "./enums";
import { workspaces } from "./workspaces";

/**
 * Per-workspace model providers (BYOK). Null fields fall back to the platform defaults
 * from env.
 *
 * `*ApiKeyCiphertext` holds AES-256-GCM ciphertext made by the application, as
 * "v1.<keyId>.<iv b64url>.<tag b64url>.<ciphertext b64url>"; the key id names which
 * DOCENT_ENCRYPTION_KEYS entry sealed it, so keys can rotate. Plaintext keys are never
 * stored or returned; `*ApiKeyHint` ("sk-...abcd") is what the admin app shows.
 */
export const tenantSettings = pgTable("tenant_settings", {
  workspaceId: uuid()
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  llmProvider: modelProvider(),
  llmBaseUrl: text(),
  llmModel: varchar({ length: 200 }),
  llmApiKeyCiphertext: text(),
  llmApiKeyHint: varchar({ length: 32 }),
  embeddingProvider: modelProvider(),
  embeddingBaseUrl: text(),
  embeddingModel: varchar({ length: 200 }),
  embeddingApiKeyCiphertext: text(),
  embeddingApiKeyHint: varchar({ length: 32 }),
  /**
   * Optional reranker (bots turn it on in their rag config). `rerankUrl` is the full
   * endpoint, e.g. "http://tei:8080/rerank"; null uses the provider's public endpoint
   * (Cohere, Jina). Its key is sealed like the others, with the field "rerank".
   */
  rerankProvider: rerankProvider(),
  rerankUrl: text(),
  rerankModel: varchar({ length: 200 }),
  rerankApiKeyCiphertext: text(),
  rerankApiKeyHint: varchar({ length: 32 }),
  ...timestamps(),
});

export const tenantSettingsRelations = relations(tenantSettings, ({ one }) => ({
  workspace: one(workspaces, {
    fields: [tenantSettings.workspaceId],
    references: [workspaces.id],
  }),
}));
