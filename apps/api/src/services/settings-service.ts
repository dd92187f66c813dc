/**
 * BYOK provider settings. Keys are sealed with AES-256-GCM (service-kit SecretBox), bound
 * to the workspace and field through associated data, and never returned: responses carry
 * a hint like "sk-...abcd". Base URLs must resolve to public addresses (the services
 * call them with the tenant's key), unless ALLOW_PRIVATE_MODEL_URLS is set for a
 * self-hosted model server on a private network.
 */
import type { SettingsDto } from "@docent/contracts/settings";
import type { Database } from "@docent/db/client";
import { getTenantSettings, type TenantSettings, type TenantSettingsPatch, upsertTenantSettings } from "@docent/db/queries/tenant-settings";
import { byokAad, type SecretBox } from "@docent/service-kit/crypto/secrets";
import { secretHint } from "@docent/service-kit/crypto/tokens";
import { ServiceUnavailableError, ValidationError } from "@docent/service-kit/errors";
import { checkUrl, type ResolvedAddress } from "@docent/ingest/fetch";

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

export interface SettingsServiceDeps {
  db: Database;
  secretBox: SecretBox | null;
  /** Skip the private-address check on base URLs (self-hosted models on a private network). */
  allowPrivateModelUrls?: boolean;
  /** DNS lookup override (tests). */
  lookup?: (host: string) => Promise<ResolvedAddress[]>;
}

export function createSettingsService({ db, secretBox, allowPrivateModelUrls = false, lookup }: SettingsServiceDeps) {
  /** Refuses base URLs on private, loopback, link-local (cloud metadata) or unresolvable hosts. */
  async function assertPublicBaseUrl(field: Field, baseUrl: string | null | undefined) {
    if (!baseUrl || allowPrivateModelUrls) return;
    try {
      await checkUrl(baseUrl, lookup ? { lookup } : {});
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ValidationError(
        [{ path: `body.${field}.baseUrl`, message: reason }],
        `${field}.baseUrl is not allowed: ${reason} Model base URLs must be public; an operator can set ` +
          "ALLOW_PRIVATE_MODEL_URLS=true for a self-hosted model server on a private network.",
      );
    }
  }

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
      await assertPublicBaseUrl("llm", input.llm?.baseUrl);
      await assertPublicBaseUrl("embedding", input.embedding?.baseUrl);
      const patch = { ...columns(workspaceId, "llm", input.llm), ...columns(workspaceId, "embedding", input.embedding) };
      if (Object.keys(patch).length === 0) return view(await getTenantSettings(db, workspaceId));
      return view(await upsertTenantSettings(db, workspaceId, patch));
    },
  };
}
