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
import { byokAad, type SecretBox } from "./crypto/secrets";
import { AppError } from "./errors";

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

/**
 * A workspace's stored embedding key cannot be used by this server. Retrying cannot help
 * (`retryable: false`), and the message is written for people: the worker shows it on the
 * failed document, the chat service answers it with a 500.
 */
export class WorkspaceKeyError extends AppError {
  constructor(code: "ENCRYPTION_NOT_CONFIGURED" | "EMBEDDING_KEY_UNREADABLE", message: string, cause?: unknown) {
    super(message, { code, statusCode: 500, retryable: false, expose: true, cause });
  }
}

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
        ? openKey(deps.secrets, settings.embeddingApiKeyCiphertext, workspaceId)
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

function openKey(secrets: SecretBox | null, ciphertext: string, workspaceId: string): string {
  if (!secrets) {
    throw new WorkspaceKeyError(
      "ENCRYPTION_NOT_CONFIGURED",
      "This server cannot read workspace API keys: DOCENT_ENCRYPTION_KEYS is not set",
    );
  }
  try {
    return secrets.open(ciphertext, byokAad(workspaceId, "embedding"));
  } catch (cause) {
    throw new WorkspaceKeyError(
      "EMBEDDING_KEY_UNREADABLE",
      "The workspace's embedding API key cannot be decrypted; enter it again in the workspace's model settings.",
      cause,
    );
  }
}
