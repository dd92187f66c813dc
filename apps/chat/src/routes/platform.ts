/**
 * The platform's defaults, for the admin app's model settings: which answer model and
 * which embedder a workspace without its own provider gets. Only the chat service knows
 * them (they are its environment), so it says them; names only, never URLs or keys.
 */
import { platformDefaultsSchema } from "@docent/contracts/chat";
import { LOCAL_EMBEDDER_ID } from "@docent/embeddings/local";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppDeps } from "./deps";
import { requireIdentity } from "@docent/http-kit/auth";
import { EXTRACTIVE_MODEL } from "../llm/extractive";

export const platformRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { env } = deps;
  const schema = {
    operationId: "getPlatformDefaults",
    summary: "The answer model and embedder a workspace without its own provider gets (names only)",
    response: { 200: platformDefaultsSchema },
  };
  app.get("/v1/platform/defaults", { config: { auth: { kind: "identity" as const } }, schema }, async (request) => {
    requireIdentity(request);
    const llmConfigured = Boolean(env.LLM_BASE_URL);
    const embeddingModel =
      env.EMBEDDING_PROVIDER === "local" ? LOCAL_EMBEDDER_ID : (env.EMBEDDING_MODEL ?? (env.EMBEDDING_PROVIDER === "openai" ? "text-embedding-3-small" : null));
    return {
      llm: llmConfigured
        ? { provider: env.LLM_PROVIDER, model: env.LLM_MODEL, extractive: false }
        : { provider: "local", model: EXTRACTIVE_MODEL, extractive: true },
      embedding: { provider: env.EMBEDDING_PROVIDER, model: embeddingModel },
    };
  });
};
