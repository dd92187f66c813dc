/** Row -> response shape. Only fields listed in the contracts leave the API. */
import type { AdminPlanDto } from "@docent/contracts/admin";
import type { AllowedOriginDto } from "@docent/contracts/origins";
import type { ApiKeyDto } from "@docent/contracts/api-keys";
import type { BotDto } from "@docent/contracts/bots";
import type { DocumentDto } from "@docent/contracts/documents";
import type { MemberDto, WorkspaceDto } from "@docent/contracts/workspaces";
import type { PlanDto } from "@docent/contracts/plans";
import type { PromptDto } from "@docent/contracts/prompts";
import type { TemplateDto } from "@docent/contracts/templates";
import type { UserDto } from "@docent/contracts/auth";
import type { WidgetConfigDto } from "@docent/contracts/widget";
import { readRagConfig } from "@docent/contracts/json";
import type { ApiKey } from "@docent/db/queries/api-keys";
import type { Bot } from "@docent/db/queries/bots";
import type { DocumentRow } from "@docent/db/queries/documents";
import type { MemberWithUser } from "@docent/db/queries/members";
import type { AllowedOrigin } from "@docent/db/queries/origins";
import type { Plan } from "@docent/db/queries/plans";
import type { Prompt } from "@docent/db/queries/prompts";
import type { Template } from "@docent/db/queries/templates";
import type { User } from "@docent/db/queries/users";
import type { WidgetConfig } from "@docent/db/queries/widget";
import type { Workspace, WorkspaceRole } from "@docent/db/queries/workspaces";

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export const userDto = (u: User): UserDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  status: u.status,
  emailVerified: u.emailVerified,
  lastLoginAt: isoOrNull(u.lastLoginAt),
  createdAt: iso(u.createdAt),
});

export const workspaceDto = (w: Workspace, role: WorkspaceRole | null): WorkspaceDto => ({
  id: w.id,
  name: w.name,
  slug: w.slug,
  isPersonal: w.isPersonal,
  role,
  createdAt: iso(w.createdAt),
  updatedAt: iso(w.updatedAt),
});

export const memberDto = (m: MemberWithUser): MemberDto => ({
  userId: m.userId,
  email: m.user.email,
  name: m.user.name,
  status: m.user.status,
  role: m.role,
  invitedBy: m.invitedBy,
  joinedAt: iso(m.createdAt),
});

export const botDto = (b: Bot): BotDto => ({
  id: b.id,
  workspaceId: b.workspaceId,
  name: b.name,
  description: b.description,
  publicId: b.publicId,
  templateId: b.templateId,
  ragConfig: readRagConfig(b.ragConfig),
  modelSettings: b.modelSettings,
  activePromptId: b.activePromptId,
  status: b.status,
  language: b.language,
  lastActivityAt: isoOrNull(b.lastActivityAt),
  createdAt: iso(b.createdAt),
  updatedAt: iso(b.updatedAt),
});

export const promptDto = (p: Prompt): PromptDto => ({
  id: p.id,
  botId: p.botId,
  version: p.version,
  name: p.name,
  content: p.content,
  isActive: p.isActive,
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt),
});

export const widgetDto = (w: WidgetConfig): WidgetConfigDto => ({
  botId: w.botId,
  headerText: w.headerText,
  initialGreeting: w.initialGreeting,
  inputPlaceholder: w.inputPlaceholder,
  primaryColor: w.primaryColor,
  textColor: w.textColor,
  backgroundColor: w.backgroundColor,
  position: w.position,
  theme: w.theme,
  width: w.width,
  height: w.height,
  showSources: w.showSources,
  offerStars: w.offerStars,
  handoffEnabled: w.handoffEnabled,
  avatarUrl: w.avatarUrl,
  metadataFilter: w.metadataFilter ?? null,
  updatedAt: iso(w.updatedAt),
});

export const originDto = (o: AllowedOrigin): AllowedOriginDto => ({
  id: o.id,
  botId: o.botId,
  origin: o.origin,
  createdAt: iso(o.createdAt),
});

export const apiKeyDto = (k: ApiKey): ApiKeyDto => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  botId: k.botId,
  lastUsedAt: isoOrNull(k.lastUsedAt),
  expiresAt: isoOrNull(k.expiresAt),
  revokedAt: isoOrNull(k.revokedAt),
  createdAt: iso(k.createdAt),
});

export const templateDto = (t: Template): TemplateDto => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  description: t.description,
  category: t.category,
  defaultRagConfig: readRagConfig(t.defaultRagConfig),
  sampleSystemPrompt: t.sampleSystemPrompt,
  sampleQueries: t.sampleQueries,
  iconUrl: t.iconUrl,
});

export const planDto = (p: Plan): PlanDto => ({
  id: p.id,
  code: p.code,
  name: p.name,
  description: p.description,
  priceMonthly: p.priceMonthly,
  maxBots: p.maxBots,
  maxDocumentsPerBot: p.maxDocumentsPerBot,
  maxTotalDocumentStorageGb: p.maxTotalDocumentStorageGb,
  maxFileSizeMb: p.maxFileSizeMb,
  maxQueriesPerMonth: p.maxQueriesPerMonth,
  maxRetrievalsPerMonth: p.maxRetrievalsPerMonth,
  maxDocProcessingJobsPerMonth: p.maxDocProcessingJobsPerMonth,
  maxPagesPerSource: p.maxPagesPerSource,
  maxCrawlsPerMonth: p.maxCrawlsPerMonth,
  maxPdfPages: p.maxPdfPages,
  maxDocProcessingSeconds: p.maxDocProcessingSeconds,
  allowAdvancedRagConfig: p.allowAdvancedRagConfig,
});

export const adminPlanDto = (p: Plan & { workspaceCount: number }): AdminPlanDto => ({
  ...planDto(p),
  isActive: p.isActive,
  isDefault: p.isDefault,
  workspaceCount: p.workspaceCount,
  updatedAt: p.updatedAt.toISOString(),
});

export const documentDto = (d: DocumentRow): DocumentDto => ({
  id: d.id,
  botId: d.botId,
  name: d.name,
  sourceType: d.sourceType,
  mimeType: d.mimeType,
  sizeBytes: d.sizeBytes,
  sourceUrl: d.sourceUrl,
  contentHash: d.contentHash,
  status: d.status,
  stage: d.stage,
  progress: d.progress,
  chunkCount: d.chunkCount,
  errorMessage: d.errorMessage,
  version: d.version,
  metadata: d.metadata,
  processedAt: isoOrNull(d.processedAt),
  createdAt: iso(d.createdAt),
  updatedAt: iso(d.updatedAt),
});
