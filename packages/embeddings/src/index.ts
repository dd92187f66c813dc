export * from "./types";
export * from "./errors";
export { createLocalEmbedder, embedLexical, LOCAL_EMBEDDER_ID } from "./local";
export { createOpenAIEmbedder, type OpenAIEmbedderOptions } from "./openai";
export { resolveEmbedder, type ResolveEmbedderConfig, type WorkspaceEmbeddingSettings } from "./resolve";
export { embeddingEnvSchema, embeddingProviders, type EmbeddingEnv, type EmbeddingProvider } from "./env";
export { cosineSimilarity } from "./similarity";
