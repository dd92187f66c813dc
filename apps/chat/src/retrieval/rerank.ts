/**
 * Rerankers over the common `/rerank` HTTP shape: Hugging Face text-embeddings-inference
 * (`{ query, texts }` -> `[{ index, score }]`) and the shape Cohere, Jina and vLLM share
 * (`{ model, query, documents, top_n }` -> `{ results: [{ index, relevance_score }] }`).
 * Either response shape is accepted from any provider.
 *
 * A workspace's reranker (BYOK settings) is reached through the guarded fetch of
 * @docent/outbound, so its address is checked when each connection opens; the platform's
 * (RERANK_* env) is the operator's and trusted. Keys are opened per request and never
 * logged.
 */
import type { Database } from "@docent/db/client";
import { getTenantSettings, type TenantSettings } from "@docent/db/queries/tenant-settings";
import { findUnsafeAddressError, sharedGuardedFetch } from "@docent/outbound";
import type { SecretBox } from "@docent/service-kit/crypto/secrets";
import { openWorkspaceKey } from "@docent/service-kit/workspace-keys";
import { z } from "zod";

export type RerankProvider = NonNullable<TenantSettings["rerankProvider"]>;

export interface RerankScore {
  index: number;
  score: number;
}

export interface Reranker {
  /** "<provider>:<model>" for responses and logs. */
  id: string;
  /** Scores for (some of) `documents`, by their index; order and completeness are not trusted. */
  rerank(query: string, documents: string[], signal?: AbortSignal): Promise<RerankScore[]>;
}

export interface RerankerConfig {
  provider: RerankProvider;
  url: string;
  model: string | null;
  apiKey: string | null;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** Public endpoints of the hosted providers; TEI and vLLM run where their operator puts them. */
export const DEFAULT_RERANK_URLS: Partial<Record<RerankProvider, string>> = {
  cohere: "https://api.cohere.com/v2/rerank",
  jina: "https://api.jina.ai/v1/rerank",
};

/** Why a rerank did not apply; the message is safe to show (no keys, no bodies). */
export class RerankError extends Error {
  constructor(
    message: string,
    readonly reason: "timeout" | "http" | "response" | "network" | "address" | "config",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RerankError";
  }
}

const scoreEntry = z.object({ index: z.number(), relevance_score: z.number().optional(), score: z.number().optional() }).loose();
const rerankResponse = z.union([
  z.array(scoreEntry),
  z.object({ results: z.array(scoreEntry) }).loose(),
  z.object({ data: z.array(scoreEntry) }).loose(),
]);

export function parseRerankResponse(body: unknown): RerankScore[] {
  const parsed = rerankResponse.safeParse(body);
  if (!parsed.success) {
    throw new RerankError("The reranker's answer has neither results[{ index, relevance_score }] nor [{ index, score }]", "response");
  }
  const data = parsed.data as z.infer<typeof scoreEntry>[] | { results?: z.infer<typeof scoreEntry>[]; data?: z.infer<typeof scoreEntry>[] };
  const entries = Array.isArray(data) ? data : (data.results ?? data.data ?? []);
  return entries
    .map((e) => ({ index: e.index, score: e.relevance_score ?? e.score }))
    .filter((e): e is RerankScore => typeof e.score === "number" && Number.isFinite(e.score));
}

export function createHttpReranker(config: RerankerConfig): Reranker {
  const doFetch = config.fetch ?? fetch;
  const id = `${config.provider}:${config.model ?? "default"}`;
  return {
    id,
    async rerank(query, documents, signal) {
      const body =
        config.provider === "tei"
          ? { query, texts: documents, truncate: true, ...(config.model ? { model: config.model } : {}) }
          : { ...(config.model ? { model: config.model } : {}), query, documents, top_n: documents.length };
      const timeout = AbortSignal.timeout(config.timeoutMs);
      let response: Response;
      try {
        response = await doFetch(config.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json",
            ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
          },
          body: JSON.stringify(body),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        if (timeout.aborted) throw new RerankError(`The reranker did not answer within ${config.timeoutMs} ms`, "timeout", { cause: error });
        const refused = findUnsafeAddressError(error);
        if (refused) throw new RerankError(`The reranker's URL is not allowed: ${refused.message}`, "address", { cause: error });
        throw new RerankError("The reranker could not be reached", "network", { cause: error });
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new RerankError(`The reranker answered HTTP ${response.status}`, "http");
      }
      let json: unknown;
      try {
        json = await response.json();
      } catch (error) {
        if (timeout.aborted) throw new RerankError(`The reranker did not answer within ${config.timeoutMs} ms`, "timeout", { cause: error });
        throw new RerankError("The reranker's answer is not JSON", "response", { cause: error });
      }
      return parseRerankResponse(json);
    },
  };
}

export interface PlatformReranker {
  provider: RerankProvider | undefined;
  url: string | undefined;
  model: string | undefined;
  apiKey: string | undefined;
  timeoutMs: number;
}

export type RerankerFor = (workspaceId: string) => Promise<Reranker | null>;

/**
 * The workspace's reranker when its settings name one, else the platform's, else none.
 * A workspace setting that cannot be used (key unreadable) is reported as a failure by
 * the search step, which then keeps the mode's order.
 */
export function createRerankerResolver(deps: {
  db: Database;
  platform: PlatformReranker;
  /** Opens the workspace's sealed reranker key; null when the server has no DOCENT_ENCRYPTION_KEYS. */
  secrets: SecretBox | null;
  workspaceFetch?: typeof fetch;
}): RerankerFor {
  const { platform } = deps;
  const workspaceFetch = deps.workspaceFetch ?? sharedGuardedFetch();
  return async function rerankerFor(workspaceId) {
    const settings = await getTenantSettings(deps.db, workspaceId);
    if (settings?.rerankProvider) {
      const url = settings.rerankUrl ?? DEFAULT_RERANK_URLS[settings.rerankProvider];
      if (!url) throw new RerankError(`The workspace's ${settings.rerankProvider} reranker has no URL`, "config");
      let apiKey: string | null = null;
      if (settings.rerankApiKeyCiphertext) {
        try {
          apiKey = openWorkspaceKey(deps.secrets, settings.rerankApiKeyCiphertext, workspaceId, "rerank");
        } catch (cause) {
          // Reported by the search step, which then keeps the mode's order.
          throw new RerankError(cause instanceof Error ? cause.message : "The workspace's reranker key cannot be opened", "config", { cause });
        }
      }
      return createHttpReranker({
        provider: settings.rerankProvider,
        url,
        model: settings.rerankModel,
        apiKey,
        timeoutMs: platform.timeoutMs,
        fetch: workspaceFetch,
      });
    }
    if (platform.provider) {
      const url = platform.url ?? DEFAULT_RERANK_URLS[platform.provider];
      if (!url) return null;
      return createHttpReranker({
        provider: platform.provider,
        url,
        model: platform.model ?? null,
        apiKey: platform.apiKey ?? null,
        timeoutMs: platform.timeoutMs,
      });
    }
    return null;
  };
}

export interface RerankOrder {
  /** Positions in the candidate list, best first: the reranked ones, then the rest in their old order. */
  order: number[];
  /** Rerank score by candidate position, for those the reranker scored. */
  scores: Map<number, number>;
  /** Entries dropped: out-of-range, fractional or repeated indices. */
  ignored: number;
}

/**
 * Orders `count` candidates by the reranker's scores. A reranker may return fewer
 * results than it was given (top_n, truncation), and a faulty one unknown or repeated
 * indices: unknown ones are ignored, the first score of an index counts, and candidates it
 * did not score follow the scored ones in their original order.
 */
export function orderByRerank(count: number, scores: RerankScore[]): RerankOrder {
  const byIndex = new Map<number, number>();
  let ignored = 0;
  for (const { index, score } of scores) {
    if (!Number.isInteger(index) || index < 0 || index >= count || byIndex.has(index)) {
      ignored++;
      continue;
    }
    byIndex.set(index, score);
  }
  const scored = [...byIndex.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([i]) => i);
  const rest = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  return { order: [...scored, ...rest], scores: byIndex, ignored };
}
