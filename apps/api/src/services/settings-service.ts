/**
 * BYOK provider settings. Keys are sealed with AES-256-GCM (service-kit SecretBox), bound
 * to the workspace and field through associated data, and never returned: responses carry
 * a hint like "sk-...abcd".
 */
import type { SettingsDto } from "@docent/contracts/settings";
import type { Database } from "@docent/db/client";
import { getTenantSettings, type TenantSettings, type TenantSettingsPatch, upsertTenantSettings } from "@docent/db/queries/tenant-settings";
import { byokAad, type SecretBox } from "@docent/service-kit/crypto/secrets";
import { secretHint } from "@docent/service-kit/crypto/tokens";
import { ServiceUnavailableError } from "@docent/service-kit/errors";

type Field = "llm" | "embedding";
type ProviderPatch = {
  provider?: TenantSettings["llmProvider"];
  baseUrl?: string | null;
  model?: string | null;
  apiKey?: string | null;
};

function view(row: TenantSettings | undefined): SettingsDto {
  const side = (field: Field) => ({
    provider: row?.[`${field}Provider`] ?? null,
    baseUrl: row?.[`${field}BaseUrl`] ?? null,
    model: row?.[`${field}Model`] ?? null,
    hasApiKey: Boolean(row?.[`${field}ApiKeyCiphertext`]),
    apiKeyHint: row?.[`${field}ApiKeyHint`] ?? null,
  });
  return { llm: side("llm"), embedding: side("embedding"), updatedAt: row ? row.updatedAt.toISOString() : null };
}

export function createSettingsService({ db, secretBox }: { db: Database; secretBox: SecretBox | null }) {
  function columns(workspaceId: string, field: Field, patch: ProviderPatch | undefined): TenantSettingsPatch {
    if (!patch) return {};
    const out: TenantSettingsPatch = {};
    if (patch.provider !== undefined) out[`${field}Provider`] = patch.provider;
    if (patch.baseUrl !== undefined) out[`${field}BaseUrl`] = patch.baseUrl;
    if (patch.model !== undefined) out[`${field}Model`] = patch.model;
    if (patch.apiKey === null) {
      out[`${field}ApiKeyCiphertext`] = null;
      out[`${field}ApiKeyHint`] = null;
    } else if (patch.apiKey !== undefined) {
      if (!secretBox) {
        throw new ServiceUnavailableError("Storing provider keys needs DOCENT_ENCRYPTION_KEYS to be configured", {
          code: "ENCRYPTION_NOT_CONFIGURED",
          retryable: false,
        });
      }
      out[`${field}ApiKeyCiphertext`] = secretBox.seal(patch.apiKey, byokAad(workspaceId, field));
      out[`${field}ApiKeyHint`] = secretHint(patch.apiKey);
    }
    return out;
  }

  return {
    async get(workspaceId: string) {
      return view(await getTenantSettings(db, workspaceId));
    },

    async update(workspaceId: string, input: { llm?: ProviderPatch; embedding?: ProviderPatch }) {
      const patch = { ...columns(workspaceId, "llm", input.llm), ...columns(workspaceId, "embedding", input.embedding) };
      if (Object.keys(patch).length === 0) return view(await getTenantSettings(db, workspaceId));
      return view(await upsertTenantSettings(db, workspaceId, patch));
    },
  };
}
