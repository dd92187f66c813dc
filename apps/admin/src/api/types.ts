/**
 * Shapes the admin app reads. They mirror the database model (packages/db) and the
 * services' routes; fields a screen can live without are optional so a missing field
 * shows as "—" rather than breaking the page.
 */
import type { AdminPlanDto } from "@docent/contracts/admin";
import type { AllowedOriginDto } from "@docent/contracts/origins";
import type { AuthMethodDto, AuthProvidersResponse } from "@docent/contracts/sso";
import type { AnalyticsDto } from "@docent/contracts/analytics";
import type { ApiKeyDto } from "@docent/contracts/api-keys";
import type { BotDto } from "@docent/contracts/bots";
import type { InvitationDto } from "@docent/contracts/invitations";
import type { MemberDto } from "@docent/contracts/workspaces";
import type { PromptDto } from "@docent/contracts/prompts";
import type { SettingsDto } from "@docent/contracts/settings";
import type { TemplateDto } from "@docent/contracts/templates";
import type { UsageResponse } from "@docent/contracts/plans";
import type { UserDto } from "@docent/contracts/auth";
import type { WidgetConfigDto } from "@docent/contracts/widget";
import type { Citation } from "@docent/widget-kit/chat-stream";

export type { Citation };
export type WorkspaceRole = "OWNER" | "ADMIN" | "MEMBER";
export type RetrievalMode = "vector" | "keyword" | "hybrid";
export type DocumentStatus = "PENDING" | "PROCESSING" | "PROCESSED" | "FAILED";
export type BotStatus = "CREATING" | "PROCESSING_DOCUMENTS" | "READY" | "ERROR" | "UPDATING" | "DISABLED";
export type Channel = "widget" | "api" | "playground";
export type ApiKeyScope = "bots:read" | "bots:write" | "documents:write" | "chat" | "analytics:read";
export const apiKeyScopes: ApiKeyScope[] = ["bots:read", "bots:write", "documents:write", "chat", "analytics:read"];

export type User = UserDto;

/** A workspace the user belongs to, as listed in the session. */
export interface Workspace {
  id: string;
  name: string;
  slug?: string;
  isPersonal?: boolean;
  role?: WorkspaceRole | null;
}

export interface Session {
  user: User;
  workspaces: Workspace[];
  csrfToken?: string;
}

/** How people can sign in here (password on or off, the configured identity providers). */
export type SignInOptions = AuthProvidersResponse;
export type SignInProvider = AuthProvidersResponse["providers"][number];
/** One of the signed-in user's ways to sign in. */
export type SignInMethod = AuthMethodDto;

export type Member = MemberDto;
export type Invitation = InvitationDto;
export interface InvitationPreview {
  workspaceName: string;
  email: string;
  role: WorkspaceRole;
  invitedBy: string | null;
  expiresAt: string;
}
export type RagConfig = BotDto["ragConfig"];
export type ModelSettings = BotDto["modelSettings"];

/** A bot; the list endpoint may add document and chunk counts. */
export type Bot = BotDto & { documentCount?: number; chunkCount?: number };
export type Template = TemplateDto;
export type Prompt = PromptDto;

export interface BotDocument {
  id: string;
  botId?: string;
  name: string;
  sourceType: "FILE_UPLOAD" | "URL" | "MANUAL_TEXT" | "CSV_STRUCTURED" | "JSON_STRUCTURED";
  mimeType?: string | null;
  sizeBytes?: number;
  sourceUrl?: string | null;
  status: DocumentStatus;
  stage?: string | null;
  progress: number;
  chunkCount: number;
  errorMessage?: string | null;
  createdAt?: string;
  updatedAt?: string;
  processedAt?: string | null;
}

/** One event on the documents status stream. */
export interface DocumentStatusEvent {
  documentId: string;
  status?: DocumentStatus | "DELETED";
  stage?: string | null;
  progress?: number;
  chunkCount?: number;
  errorMessage?: string | null;
}

export type WidgetSettings = Omit<WidgetConfigDto, "botId" | "updatedAt">;
export type AllowedOrigin = AllowedOriginDto;

export interface RetrievedChunk {
  chunkId: string;
  documentId?: string;
  documentName: string;
  content: string;
  page?: number | null;
  headingPath?: string[];
  score: number;
  rank: number;
  /** Per-mode rank and 0-1 score, so a person can see why a chunk was chosen. */
  vector?: { rank: number; score: number; distance?: number };
  keyword?: { rank: number; score: number; bm25?: number };
  hybrid?: { rank: number; score: number };
  /** The reranker's rank and relevance score, when the bot reranks. */
  rerank?: { rank: number; score: number };
}

export interface ConversationSummary {
  id: string;
  channel: Channel;
  title?: string | null;
  messageCount?: number;
  startedAt?: string;
  createdAt?: string;
  lastMessageAt?: string | null;
  positiveFeedback?: number;
  negativeFeedback?: number;
  visitorId?: string | null;
}
export type FeedbackFilter = "" | "positive" | "negative" | "any" | "none";

export interface TranscriptMessage {
  id: string;
  role: "USER" | "ASSISTANT" | "SYSTEM";
  content: string;
  createdAt?: string;
  citations?: Citation[];
  feedback?: { rating: number; comment?: string | null } | null;
  metadata?: { latencyMs?: number; extractive?: boolean; model?: string; inputTokens?: number; outputTokens?: number };
}

export interface Transcript {
  conversation: ConversationSummary;
  messages: TranscriptMessage[];
}

export type Analytics = AnalyticsDto;

export type ApiKey = ApiKeyDto;
export type CreatedApiKey = ApiKeyDto & { secret: string };
export type TenantSettings = SettingsDto;
export type ProviderSettings = SettingsDto["llm"];
export type Provider = NonNullable<ProviderSettings["provider"]>;
export type PlanUsage = UsageResponse;
export type OverLimit = UsageResponse["overLimits"][number];
/** A plan as platform admins see it (GET /v1/admin/plans). */
export type AdminPlan = AdminPlanDto;
/** Workspaces a plan edit left over their plan (PATCH /v1/admin/plans/:planId). */
export interface PlanChangeResult {
  plan: AdminPlan;
  workspacesOverLimit: { total: number; items: { workspaceId: string; workspaceName: string; over: OverLimit[] }[] };
}
/** A row of the platform's workspace list (GET /v1/admin/workspaces). */
export interface AdminWorkspace {
  id: string;
  name: string;
  slug: string;
  isPersonal: boolean;
  ownerEmail: string | null;
  memberCount: number;
  botCount: number;
  plan: { id: string; code: string; name: string } | null;
  createdAt: string;
}
export interface UsageMeter {
  used: number;
  limit: number | null;
}

/** The chat service's defaults for workspaces without their own provider (GET /chat/v1/platform/defaults). */
export interface PlatformDefaults {
  llm: { provider: string; model: string; extractive: boolean };
  embedding: { provider: string; model: string | null };
}

/** Evaluation sets and runs (chat service). */
export interface EvalExpectation {
  documentId: string;
  chunkId?: string;
  text?: string;
}
export interface EvalRunConfig {
  mode: RetrievalMode;
  fusionWeights?: { vector: number; keyword: number };
  rerank?: boolean;
}
export interface EvalMetrics {
  recall: { "1": number; "3": number; "5": number; "10": number };
  mrr: number;
  ndcg10: number;
}
export interface EvalConfigResult {
  config: EvalRunConfig;
  label: string;
  metrics: EvalMetrics;
  judged: number;
  unjudged: number;
  rerankFailures: number;
  ms: number;
}
export interface EvalRun {
  id: string;
  setId: string;
  status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";
  configs: EvalRunConfig[];
  results: EvalConfigResult[] | null;
  questionCount: number;
  progress: number;
  totalSteps: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  best: { index: number; label: string; config: EvalRunConfig; ragConfigPatch: { retrievalMode: RetrievalMode; fusionWeights?: { vector: number; keyword: number }; rerank?: { enabled: boolean } } } | null;
}
export interface EvalQuestion {
  id: string;
  question: string;
  expected: EvalExpectation[];
  source: "MANUAL" | "IMPORT" | "CONVERSATION" | "GENERATED";
  synthetic: boolean;
  createdAt: string;
}
export interface EvalSetSummary {
  id: string;
  name: string;
  description: string | null;
  questionCount: number;
  syntheticCount: number;
  latestRun: EvalRun | null;
  createdAt: string;
}
export interface EvalSetDetail extends Omit<EvalSetSummary, "latestRun" | "syntheticCount"> {
  questions: EvalQuestion[];
  runs: EvalRun[];
}
export interface EvalMiss {
  id: string;
  configIndex: number;
  question: string;
  expected: EvalExpectation[];
  kind: "miss" | "unjudged";
  retrieved: { chunkId: string; documentId: string; documentName: string; page: number | null; score: number; snippet: string }[];
}
