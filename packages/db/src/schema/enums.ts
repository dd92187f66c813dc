import { pgEnum } from "drizzle-orm/pg-core";

/** Platform-wide role; ADMIN operates Docent itself (lists workspaces, suspends users). */
export const platformRole = pgEnum("platform_role", ["USER", "ADMIN"]);
export const userStatus = pgEnum("user_status", ["ACTIVE", "PENDING_VERIFICATION", "SUSPENDED"]);
/** How a user signs in: a password, Google, GitHub, or an OpenID Connect provider the operator configured. */
export const authProvider = pgEnum("auth_provider", ["email", "google", "github", "oidc"]);
export const workspaceRole = pgEnum("workspace_role", ["OWNER", "ADMIN", "MEMBER"]);
export const subscriptionStatus = pgEnum("subscription_status", [
  "TRIALING",
  "ACTIVE",
  "PAST_DUE",
  "CANCELED",
]);

/** Where a model runs. `local` is in-process: the lexical embedder or the extractive responder. */
export const modelProvider = pgEnum("model_provider", [
  "openai",
  "openai_compatible",
  "ollama",
  "vllm",
  "lmstudio",
  "local",
]);

/**
 * Rerank services by the wire shape they speak: `tei` (Hugging Face text-embeddings-inference:
 * `{ query, texts }` -> `[{ index, score }]`), and the Cohere shape that Cohere, Jina and
 * vLLM share (`{ model, query, documents, top_n }` -> `{ results: [{ index, relevance_score }] }`).
 */
export const rerankProvider = pgEnum("rerank_provider", ["tei", "cohere", "jina", "vllm"]);

export const botStatus = pgEnum("bot_status", [
  "CREATING",
  "PROCESSING_DOCUMENTS",
  "READY",
  "ERROR",
  "UPDATING",
  "DISABLED",
]);
export const documentSourceType = pgEnum("document_source_type", [
  "FILE_UPLOAD",
  "URL",
  "MANUAL_TEXT",
  "CSV_STRUCTURED",
  "JSON_STRUCTURED",
  "WEB_PAGE",
]);
export const documentStatus = pgEnum("document_status", [
  "PENDING",
  "PROCESSING",
  "PROCESSED",
  "FAILED",
]);
export const widgetPosition = pgEnum("widget_position", ["bottom-right", "bottom-left"]);
export const widgetTheme = pgEnum("widget_theme", ["light", "dark", "auto"]);
export const conversationChannel = pgEnum("conversation_channel", ["widget", "api", "playground"]);
/** What a query log records: an answered question, or a search API call (no answer). */
export const queryKind = pgEnum("query_kind", ["answer", "retrieval"]);
export const messageRole = pgEnum("message_role", ["USER", "ASSISTANT", "SYSTEM"]);
/** What an e-mailed token proves or allows; see `email_tokens`. */
export const emailTokenPurpose = pgEnum("email_token_purpose", ["signup", "verify_email", "password_reset"]);

/** Where an evaluation question came from; GENERATED ones are synthetic. */
export const evalQuestionSource = pgEnum("eval_question_source", ["MANUAL", "IMPORT", "CONVERSATION", "GENERATED"]);
export const evalRunStatus = pgEnum("eval_run_status", ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"]);

/** A website source: pages found by following links from a start URL, or listed by a sitemap. */
export const sourceKind = pgEnum("source_kind", ["website", "sitemap"]);
/** How often a source is crawled again on its own. */
export const sourceSchedule = pgEnum("source_schedule", ["manual", "hourly", "daily", "weekly"]);
/** The source's last crawl, as seed 003 keeps it per widget. */
export const sourceStatus = pgEnum("source_status", ["pending", "crawling", "completed", "failed"]);
export const sourceRunStatus = pgEnum("source_run_status", ["running", "completed", "failed"]);
/** Where a page of a source stands after the last run that reached it. */
export const sourcePageStatus = pgEnum("source_page_status", ["indexed", "failed", "skipped"]);
