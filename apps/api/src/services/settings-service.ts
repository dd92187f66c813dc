/**
 * BYOK provider settings. Keys are sealed with AES-256-GCM (service-kit SecretBox), bound
 * to the workspace and field through associated data, and never returned: responses carry
 * a hint like "sk-...abcd", and only to those who may change the settings (OWNER, ADMIN);
 * a MEMBER sees whether a key is set, not its hint.
 *
 * Every provider but OpenAI's own needs a base URL (no loopback defaults: those belong to
 * the platform's env configuration). Base URLs must resolve to public addresses (the
 * services call them with the tenant's key), unless ALLOW_PRIVATE_MODEL_URLS is set for a
 * self-hosted model server on a private network; cloud-metadata addresses are refused
 * either way. This is the check at save time; chat and worker check again when they
 * connect (@docent/outbound), since DNS answers can change.
 */
import type { SettingsDto } from "@docent/contracts/settings";
import type { Database } from "@docent/db/client";
import { getTenantSettings, type TenantSettings, type TenantSettingsPatch, upsertTenantSettings } from "@docent/db/queries/tenant-settings";
import { byokAad, type SecretBox } from "@docent/service-kit/crypto/secrets";
import { secretHint } from "@docent/service-kit/crypto/tokens";
import { ServiceUnavailableError, ValidationError } from "@docent/service-kit/errors";
import { UnsafeUrlError } from "@docent/ingest/errors";
import { checkUrl, type ResolvedAddress } from "@docent/ingest/fetch";

type Field = "llm" | "embedding";
type ProviderPatch = {
  provider?: TenantSettings["llmProvider"];
  baseUrl?: string | null;
  model?: string | null;
  apiKey?: string | null;
};

/** Providers that work without a base URL: OpenAI's public API, and the local embedder. */
const DEFAULT_URL_PROVIDERS: ReadonlySet<string> = new Set(["openai", "local"]);

export interface SettingsViewer {
  /** OWNER and ADMIN (workspace:admin) see the key hints; a MEMBER does not. */
  canManage: boolean;
}

function view(row: TenantSettings | undefined, viewer: SettingsViewer): SettingsDto {
  const side = (field: Field) => ({
    provider: row?.[`${field}Provider`] ?? null,
    baseUrl: row?.[`${field}BaseUrl`] ?? null,
    model: row?.[`${field}Model`] ?? null,
    hasApiKey: Boolean(row?.[`${field}ApiKeyCiphertext`]),
    apiKeyHint: viewer.canManage ? (row?.[`${field}ApiKeyHint`] ?? null) : null,
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
  /**
   * Refuses base URLs on private, loopback, link-local or unresolvable hosts (private ones
   * pass with ALLOW_PRIVATE_MODEL_URLS; cloud-metadata addresses never do).
   */
  async function assertAllowedBaseUrl(field: Field, baseUrl: string | null | undefined) {
    if (!baseUrl) return;
    try {
      await checkUrl(baseUrl, { ...(lookup ? { lookup } : {}), allowPrivate: allowPrivateModelUrls });
    } catch (error) {
      // A private model server's name may resolve only where chat and the worker run; they
      // check the address when they connect.
      if (allowPrivateModelUrls && !(error instanceof UnsafeUrlError)) return;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ValidationError(
        [{ path: `body.${field}.baseUrl`, message: reason }],
        allowPrivateModelUrls
          ? `${field}.baseUrl is not allowed: ${reason}`
          : `${field}.baseUrl is not allowed: ${reason} Model base URLs must be public; an operator can set ` +
              "ALLOW_PRIVATE_MODEL_URLS=true for a self-hosted model server on a private network.",
      );
    }
  }

  /** After the patch, a provider other than OpenAI's must have a base URL of its own. */
  function assertBaseUrlNamed(field: Field, current: TenantSettings | undefined, patch: ProviderPatch | undefined) {
    if (!patch) return;
    const provider = patch.provider !== undefined ? patch.provider : (current?.[`${field}Provider`] ?? null);
    const baseUrl = patch.baseUrl !== undefined ? patch.baseUrl : (current?.[`${field}BaseUrl`] ?? null);
    if (provider && !DEFAULT_URL_PROVIDERS.has(provider) && !baseUrl) {
      const message = `the ${provider} provider needs a base URL (for example http://ollama.example.com:11434/v1); only openai has a default.`;
      throw new ValidationError([{ path: `body.${field}.baseUrl`, message }], `${field}.baseUrl is required: ${message}`);
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
    async get(workspaceId: string, viewer: SettingsViewer) {
      return view(await getTenantSettings(db, workspaceId), viewer);
    },

    /** Only OWNER/ADMIN reach this route, so the answer carries the hints. */
    async update(workspaceId: string, input: { llm?: ProviderPatch; embedding?: ProviderPatch }) {
      const manager = { canManage: true };
      const current = await getTenantSettings(db, workspaceId);
      assertBaseUrlNamed("llm", current, input.llm);
      assertBaseUrlNamed("embedding", current, input.embedding);
      await assertAllowedBaseUrl("llm", input.llm?.baseUrl);
      await assertAllowedBaseUrl("embedding", input.embedding?.baseUrl);
      const patch = { ...columns(workspaceId, "llm", input.llm), ...columns(workspaceId, "embedding", input.embedding) };
      if (Object.keys(patch).length === 0) return view(current, manager);
      return view(await upsertTenantSettings(db, workspaceId, patch), manager);
    },
  };
}
