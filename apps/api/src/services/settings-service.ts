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
 *
 * The optional reranker follows the same rules: its URL (the full rerank endpoint) is
 * checked the same way, its key sealed with the field "rerank"; TEI and vLLM have no
 * public default, so they need a URL.
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
type RerankPatch = {
  provider?: TenantSettings["rerankProvider"];
  url?: string | null;
  model?: string | null;
  apiKey?: string | null;
};
/** Rerank providers with a public endpoint of their own (see chat's retrieval/rerank.ts). */
const DEFAULT_URL_RERANKERS: ReadonlySet<string> = new Set(["cohere", "jina"]);
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
  const rerank = {
    provider: row?.rerankProvider ?? null,
    url: row?.rerankUrl ?? null,
    model: row?.rerankModel ?? null,
    hasApiKey: Boolean(row?.rerankApiKeyCiphertext),
    apiKeyHint: viewer.canManage ? (row?.rerankApiKeyHint ?? null) : null,
  };
  return { llm: side("llm"), embedding: side("embedding"), rerank, updatedAt: row ? row.updatedAt.toISOString() : null };
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
  async function assertAllowedBaseUrl(field: Field | "rerank", baseUrl: string | null | undefined) {
    if (!baseUrl) return;
    const name = field === "rerank" ? "rerank.url" : `${field}.baseUrl`;
    try {
      await checkUrl(baseUrl, { ...(lookup ? { lookup } : {}), allowPrivate: allowPrivateModelUrls });
    } catch (error) {
      // A private model server's name may resolve only where chat and the worker run; they
      // check the address when they connect.
      if (allowPrivateModelUrls && !(error instanceof UnsafeUrlError)) return;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ValidationError(
        [{ path: `body.${name}`, message: reason }],
        allowPrivateModelUrls
          ? `${name} is not allowed: ${reason}`
          : `${name} is not allowed: ${reason} Model base URLs must be public; an operator can set ` +
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

  function assertRerankUrlNamed(current: TenantSettings | undefined, patch: RerankPatch | undefined) {
    if (!patch) return;
    const provider = patch.provider !== undefined ? patch.provider : (current?.rerankProvider ?? null);
    const url = patch.url !== undefined ? patch.url : (current?.rerankUrl ?? null);
    if (provider && !DEFAULT_URL_RERANKERS.has(provider) && !url) {
      const message = `the ${provider} reranker needs its endpoint URL (for example http://tei.example.com:8080/rerank); only cohere and jina have a default.`;
      throw new ValidationError([{ path: "body.rerank.url", message }], `rerank.url is required: ${message}`);
    }
  }

  function sealKey(workspaceId: string, field: Field | "rerank", apiKey: string) {
    if (!secretBox) {
      throw new ServiceUnavailableError("Storing provider keys needs DOCENT_ENCRYPTION_KEYS to be configured", {
        code: "ENCRYPTION_NOT_CONFIGURED",
        retryable: false,
      });
    }
    return secretBox.seal(apiKey, byokAad(workspaceId, field));
  }

  function rerankColumns(workspaceId: string, patch: RerankPatch | undefined): TenantSettingsPatch {
    if (!patch) return {};
    const out: TenantSettingsPatch = {};
    if (patch.provider !== undefined) out.rerankProvider = patch.provider;
    if (patch.url !== undefined) out.rerankUrl = patch.url;
    if (patch.model !== undefined) out.rerankModel = patch.model;
    if (patch.apiKey === null) {
      out.rerankApiKeyCiphertext = null;
      out.rerankApiKeyHint = null;
    } else if (patch.apiKey !== undefined) {
      out.rerankApiKeyCiphertext = sealKey(workspaceId, "rerank", patch.apiKey);
      out.rerankApiKeyHint = secretHint(patch.apiKey);
    }
    return out;
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
      out[`${field}ApiKeyCiphertext`] = sealKey(workspaceId, field, patch.apiKey);
      out[`${field}ApiKeyHint`] = secretHint(patch.apiKey);
    }
    return out;
  }

  return {
    async get(workspaceId: string, viewer: SettingsViewer) {
      return view(await getTenantSettings(db, workspaceId), viewer);
    },

    /** Only OWNER/ADMIN reach this route, so the answer carries the hints. */
    async update(workspaceId: string, input: { llm?: ProviderPatch; embedding?: ProviderPatch; rerank?: RerankPatch }) {
      const manager = { canManage: true };
      const current = await getTenantSettings(db, workspaceId);
      assertBaseUrlNamed("llm", current, input.llm);
      assertBaseUrlNamed("embedding", current, input.embedding);
      await assertAllowedBaseUrl("llm", input.llm?.baseUrl);
      await assertAllowedBaseUrl("embedding", input.embedding?.baseUrl);
      assertRerankUrlNamed(current, input.rerank);
      await assertAllowedBaseUrl("rerank", input.rerank?.url);
      const patch = {
        ...columns(workspaceId, "llm", input.llm),
        ...columns(workspaceId, "embedding", input.embedding),
        ...rerankColumns(workspaceId, input.rerank),
      };
      if (Object.keys(patch).length === 0) return view(current, manager);
      return view(await upsertTenantSettings(db, workspaceId, patch), manager);
    },
  };
}
