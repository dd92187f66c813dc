/**
 * Picks the embedder for a workspace: its own provider settings (BYOK) when it has a
 * provider set, otherwise the platform defaults from env. A workspace's API key is used
 * only with its own settings, and the platform key is sent only to the platform's own
 * endpoint, never to a base URL a workspace chose. Requests to a base URL a workspace
 * chose go through the address policy of @docent/outbound, checked when each connection
 * opens; the platform's own endpoint (EMBEDDING_BASE_URL) is trusted and may be private.
 */
import { sharedGuardedFetch } from "@docent/outbound/dispatcher";
import { EmbeddingError } from "./errors";
import type { EmbeddingEnv, EmbeddingProvider } from "./env";
import { createLocalEmbedder } from "./local";
import { createOpenAIEmbedder } from "./openai";
import type { Embedder } from "./types";

/** What the caller read from tenant_settings, with the API key already decrypted. */
export interface WorkspaceEmbeddingSettings {
  provider?: EmbeddingProvider | null;
  baseUrl?: string | null;
  model?: string | null;
  apiKey?: string | null;
}

export interface ResolveEmbedderConfig {
  env: Pick<EmbeddingEnv, "EMBEDDING_PROVIDER" | "EMBEDDING_BASE_URL" | "EMBEDDING_API_KEY" | "EMBEDDING_MODEL"> &
    Partial<Pick<EmbeddingEnv, "EMBEDDING_BATCH_SIZE" | "EMBEDDING_SEND_DIMENSIONS">>;
  workspace?: WorkspaceEmbeddingSettings | null;
  /** Passed to the OpenAI client for the platform's own endpoint (tests). */
  fetch?: typeof fetch;
  /**
   * Carries requests to a base URL the workspace chose: a guarded fetch from
   * @docent/outbound (`createGuardedFetch`, e.g. with `allowPrivate` for
   * ALLOW_PRIVATE_MODEL_URLS). Default: a shared one that reaches public addresses only.
   */
  workspaceFetch?: typeof fetch;
  maxRetries?: number;
}

const DEFAULT_OPENAI_MODEL = "text-embedding-3-small";

export function resolveEmbedder(config: ResolveEmbedderConfig): Embedder {
  const { env, workspace } = config;
  const useWorkspace = Boolean(workspace?.provider);
  const provider: EmbeddingProvider = useWorkspace ? workspace!.provider! : env.EMBEDDING_PROVIDER;
  if (provider === "local") return createLocalEmbedder();

  const platformBaseUrl = env.EMBEDDING_BASE_URL;
  const workspaceChoseUrl = useWorkspace && Boolean(workspace!.baseUrl);
  const baseURL = workspaceChoseUrl ? workspace!.baseUrl! : platformBaseUrl;
  const sameEndpoint = normaliseUrl(baseURL) === normaliseUrl(platformBaseUrl);
  const apiKey = useWorkspace
    ? (workspace!.apiKey ?? (sameEndpoint ? env.EMBEDDING_API_KEY : undefined))
    : env.EMBEDDING_API_KEY;
  const model =
    (useWorkspace ? workspace!.model : undefined) ??
    env.EMBEDDING_MODEL ??
    (provider === "openai" ? DEFAULT_OPENAI_MODEL : undefined);
  if (!model) {
    throw new EmbeddingError(`No embedding model is configured for the ${provider} provider.`, { retryable: false });
  }
  if (provider === "openai" && !apiKey && !baseURL) {
    throw new EmbeddingError("No API key is configured for OpenAI embeddings.", { retryable: false });
  }
  const sendSetting = env.EMBEDDING_SEND_DIMENSIONS ?? "auto";
  const sendDimensions =
    sendSetting === "auto" ? /^text-embedding-3-/.test(model) : sendSetting === "true";

  return createOpenAIEmbedder({
    provider,
    model,
    // Local servers (Ollama, vLLM, LM Studio) ignore the key but the client requires one.
    apiKey: apiKey ?? "not-needed",
    ...(baseURL ? { baseURL } : {}),
    ...(env.EMBEDDING_BATCH_SIZE ? { batchSize: env.EMBEDDING_BATCH_SIZE } : {}),
    sendDimensions,
    ...(workspaceChoseUrl
      ? { fetch: config.workspaceFetch ?? sharedGuardedFetch() }
      : config.fetch
        ? { fetch: config.fetch }
        : {}),
    ...(config.maxRetries !== undefined ? { maxRetries: config.maxRetries } : {}),
  });
}

function normaliseUrl(url: string | undefined | null): string {
  return (url ?? "https://api.openai.com/v1").replace(/\/+$/, "").toLowerCase();
}
