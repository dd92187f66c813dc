/**
 * Enum values mirrored from the database enums (packages/db/src/schema/enums.ts), kept
 * here so browser code does not import drizzle. A test checks they stay equal.
 */
export const platformRoles = ["USER", "ADMIN"] as const;
export const userStatuses = ["ACTIVE", "PENDING_VERIFICATION", "SUSPENDED"] as const;
export const workspaceRoles = ["OWNER", "ADMIN", "MEMBER"] as const;
export type WorkspaceRole = (typeof workspaceRoles)[number];
export const botStatuses = ["CREATING", "PROCESSING_DOCUMENTS", "READY", "ERROR", "UPDATING", "DISABLED"] as const;
export const modelProviders = ["openai", "openai_compatible", "ollama", "vllm", "lmstudio", "local"] as const;
export const rerankProviders = ["tei", "cohere", "jina", "vllm"] as const;
export const widgetPositions = ["bottom-right", "bottom-left"] as const;
export const widgetThemes = ["light", "dark", "auto"] as const;
export const subscriptionStatuses = ["TRIALING", "ACTIVE", "PAST_DUE", "CANCELED"] as const;
export const documentSourceTypes = ["FILE_UPLOAD", "URL", "MANUAL_TEXT", "CSV_STRUCTURED", "JSON_STRUCTURED", "WEB_PAGE"] as const;
export const documentStatuses = ["PENDING", "PROCESSING", "PROCESSED", "FAILED"] as const;
/** How a user signs in: a password, Google, GitHub, or an OpenID Connect provider the operator configured. */
export const authProviders = ["email", "google", "github", "oidc"] as const;

/** PostgreSQL 15 built-in text-search configurations a bot's keyword search may use. */
export const textSearchLanguages = [
  "simple", "arabic", "armenian", "basque", "catalan", "danish", "dutch", "english", "finnish",
  "french", "german", "greek", "hindi", "hungarian", "indonesian", "irish", "italian",
  "lithuanian", "nepali", "norwegian", "portuguese", "romanian", "russian", "serbian",
  "spanish", "swedish", "tamil", "turkish", "yiddish",
] as const;

export const sourceKinds = ["website", "sitemap"] as const;
export const sourceSchedules = ["manual", "hourly", "daily", "weekly"] as const;
export const sourceStatuses = ["pending", "crawling", "completed", "failed"] as const;
export const sourceRunStatuses = ["running", "completed", "failed"] as const;
