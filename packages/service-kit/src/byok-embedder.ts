/**
 * The embedder of a workspace, shared by the chat service (query vectors) and the ingest
 * worker (chunk vectors), so both sides of a search come from the same provider and model:
 * the workspace's own embedding settings and key (BYOK) when it has set a provider,
 * otherwise the platform defaults from env (see `resolveEmbedder`). The workspace's key is
 * decrypted here, per call, and never logged. Requests to a base URL the workspace chose
 * go through the address policy at connect time (`workspaceFetch`).
 */
import type { Executor } from "@docent/db/client";
import { getTenantSettings, type TenantSettings } from "@docent/db/queries/tenant-settings";
import { type Embedder, resolveEmbedder, type ResolveEmbedderConfig } from "@docent/embeddings";
import type { SecretBox } from "./crypto/secrets";
import { openWorkspaceKey } from "./workspace-keys";

export interface WorkspaceEmbedderDeps {
  db: Executor;
  /** The platform's embedding settings (EMBEDDING_* from env). */
  env: ResolveEmbedderConfig["env"];
  /** Opens sealed workspace keys; null when the server has no DOCENT_ENCRYPTION_KEYS. */
  secrets: SecretBox | null;
  /**
   * Carries requests to a base URL the workspace chose: a guarded fetch of
   * @docent/outbound (`sharedGuardedFetch(env.ALLOW_PRIVATE_MODEL_URLS)`). Default: public
   * addresses only.
   */
  workspaceFetch?: typeof fetch;
}

export type EmbeddingSettings = Pick<
  TenantSettings,
  "embeddingProvider" | "embeddingBaseUrl" | "embeddingModel" | "embeddingApiKeyCiphertext"
>;

/** The embedder for one workspace's settings (undefined: none stored). */
export function embedderForSettings(
  deps: Pick<WorkspaceEmbedderDeps, "env" | "secrets" | "workspaceFetch">,
  workspaceId: string,
  settings: EmbeddingSettings | undefined,
): Embedder {
  if (!settings?.embeddingProvider) return resolveEmbedder({ env: deps.env, workspace: null });
  return resolveEmbedder({
    env: deps.env,
    ...(deps.workspaceFetch ? { workspaceFetch: deps.workspaceFetch } : {}),
    workspace: {
      provider: settings.embeddingProvider,
      baseUrl: settings.embeddingBaseUrl,
      model: settings.embeddingModel,
      apiKey: settings.embeddingApiKeyCiphertext
        ? openWorkspaceKey(deps.secrets, settings.embeddingApiKeyCiphertext, workspaceId, "embedding")
        : null,
    },
  });
}

/** `(workspaceId) => embedder`, reading the workspace's settings on every call. */
export function createWorkspaceEmbedderResolver(deps: WorkspaceEmbedderDeps) {
  return async function embedderFor(workspaceId: string): Promise<Embedder> {
    return embedderForSettings(deps, workspaceId, await getTenantSettings(deps.db, workspaceId));
  };
}
