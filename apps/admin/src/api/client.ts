/**
 * Every endpoint the admin app calls, in one typed module: if a route moves, this is the
 * only file to change. Request and response types come from `@docent/contracts` (the
 * API's own zod schemas) where the API defines them. REST API under `/api`, chat service
 * under `/chat`; both proxied on the admin origin.
 */
import type { z } from "zod";
import type { createApiKeyBodySchema } from "@docent/contracts/api-keys";
import type { createPlanBodySchema, updatePlanBodySchema } from "@docent/contracts/admin";
import type { createInvitationBodySchema } from "@docent/contracts/invitations";
import type { createBotBodySchema, updateBotBodySchema } from "@docent/contracts/bots";
import type { createPromptBodySchema, updatePromptBodySchema } from "@docent/contracts/prompts";
import type { loginBodySchema } from "@docent/contracts/auth";
import type { updateSettingsBodySchema } from "@docent/contracts/settings";
import type { updateWidgetBodySchema } from "@docent/contracts/widget";
import type { TranscriptCitationDto } from "@docent/contracts/chat";
import { consumeChatResponse, normaliseCitation, type StreamHandlers } from "@docent/widget-kit/chat-stream";
import { mutationHeaders, request, send, setCsrfToken, uploadWithProgress } from "./http";
import type {
  AdminPlan,
  AdminWorkspace,
  AllowedOrigin,
  Analytics,
  PlatformDefaults,
  ApiKey,
  Bot,
  BotDocument,
  Channel,
  ConversationSummary,
  EvalExpectation,
  EvalMiss,
  EvalRun,
  EvalRunConfig,
  EvalSetDetail,
  EvalSetSummary,
  CreatedApiKey,
  FeedbackFilter,
  Invitation,
  InvitationPreview,
  Member,
  PlanChangeResult,
  PlanUsage,
  Prompt,
  RetrievalMode,
  RetrievedChunk,
  Session,
  SignInMethod,
  SignInOptions,
  Template,
  TenantSettings,
  Transcript,
  TranscriptMessage,
  WidgetSettings,
  Workspace,
  WorkspaceRole,
} from "./types";

type In<T extends z.ZodType> = z.input<T>;

const API = "/api/v1";
const CHAT = "/chat/v1";
const enc = encodeURIComponent;

/** Lists come back either bare or wrapped (`{ items }`, `{ <name> }`). */
export function unwrapList<T>(value: unknown, key?: string): T[] {
  if (Array.isArray(value)) return value as T[];
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    for (const k of [key, "items", "data", "results"]) if (k && Array.isArray(v[k])) return v[k] as T[];
  }
  return [];
}

/** Single objects may be wrapped too (`{ bot: {...} }`). */
export function unwrapOne<T>(value: unknown, key: string): T {
  if (value && typeof value === "object" && key in (value as object)) return (value as Record<string, unknown>)[key] as T;
  return value as T;
}

interface RawMembership {
  workspaceId?: string;
  id?: string;
  name: string;
  slug?: string;
  isPersonal?: boolean;
  role?: WorkspaceRole | null;
}
interface RawSession {
  user: Session["user"];
  workspaces?: RawMembership[];
  csrfToken?: string;
}

/** The session answer names workspaces by `workspaceId`; the app uses `id` everywhere. */
export function toSession(raw: RawSession): Session {
  if (raw.csrfToken) setCsrfToken(raw.csrfToken);
  return {
    user: raw.user,
    ...(raw.csrfToken ? { csrfToken: raw.csrfToken } : {}),
    workspaces: (raw.workspaces ?? []).map((w) => ({
      id: w.workspaceId ?? w.id ?? "",
      name: w.name,
      ...(w.slug ? { slug: w.slug } : {}),
      ...(w.isPersonal !== undefined ? { isPersonal: w.isPersonal } : {}),
      role: w.role ?? null,
    })),
  };
}

const ws = (workspaceId: string) => `${API}/workspaces/${enc(workspaceId)}`;
const bot = (workspaceId: string, botId: string) => `${ws(workspaceId)}/bots/${enc(botId)}`;
const docs = (botId: string) => `${API}/bots/${enc(botId)}/documents`;

export interface BotRef {
  workspaceId: string;
  botId: string;
}

export const api = {
  auth: {
    me: async () => toSession(await request<RawSession>("GET", `${API}/auth/me`)),
    /** Mails a confirmation link; the account exists once it is followed (verifyEmail). */
    signup: (input: { name?: string; email: string; password: string }) => request<{ message: string }>("POST", `${API}/auth/signup`, { body: input }),
    /** Follows a mailed confirmation link with the account's password, and signs in. */
    verifyEmail: async (input: { token: string; password: string }) => toSession(await request<RawSession>("POST", `${API}/auth/verify-email`, { body: input })),
    sendVerification: () => request<{ message: string }>("POST", `${API}/auth/verify-email/send`),
    requestPasswordReset: (email: string) => request<{ message: string }>("POST", `${API}/auth/password-reset`, { body: { email } }),
    resetPassword: (input: { token: string; password: string }) => request<void>("POST", `${API}/auth/password-reset/confirm`, { body: input }),
    login: async (input: In<typeof loginBodySchema>) => toSession(await request<RawSession>("POST", `${API}/auth/login`, { body: input })),
    logout: () => request<void>("POST", `${API}/auth/logout`).finally(() => setCsrfToken(null)),
    /** Password on or off, and the identity providers for "Continue with …". */
    providers: () => request<SignInOptions>("GET", `${API}/auth/providers`),
    /** Where to send the browser to sign in with `provider` (or, with `link`, to link it to the signed-in account). */
    startSso: async (provider: string, options: { link?: boolean; returnTo?: string } = {}) =>
      (
        await request<{ authorizationUrl: string }>("POST", `${API}/auth/sso/${enc(provider)}/${options.link ? "link" : "start"}`, {
          body: options.returnTo ? { returnTo: options.returnTo } : {},
        })
      ).authorizationUrl,
    /** Finishes a provider sign-in with the query string the provider sent the browser back with. */
    completeSso: async (provider: string, params: string) => {
      const raw = await request<RawSession & { result: "signed_in" | "linked"; created: boolean; returnTo: string | null; provider: { id: string; name: string } }>(
        "POST",
        `${API}/auth/sso/${enc(provider)}/callback`,
        { body: { params } },
      );
      return { result: raw.result, created: raw.created, returnTo: raw.returnTo, provider: raw.provider, session: toSession(raw) };
    },
    pendingLink: () => request<{ provider: { id: string; name: string }; email: string }>("GET", `${API}/auth/sso/pending-link`),
    confirmLink: async () => unwrapList<SignInMethod>(await request("POST", `${API}/auth/sso/pending-link`)),
    discardLink: () => request<void>("DELETE", `${API}/auth/sso/pending-link`),
    methods: async () => unwrapList<SignInMethod>(await request("GET", `${API}/auth/methods`)),
    removeMethod: (methodId: string) => request<void>("DELETE", `${API}/auth/methods/${enc(methodId)}`),
  },

  invitations: {
    preview: (token: string) => request<InvitationPreview>("POST", `${API}/invitations/preview`, { body: { token } }),
    accept: (token: string) => request<RawMembership>("POST", `${API}/invitations/accept`, { body: { token } }),
  },

  workspaces: {
    create: async (name: string) => {
      const w = unwrapOne<RawMembership>(await request("POST", `${API}/workspaces`, { body: { name } }), "workspace");
      return { ...w, id: w.id ?? w.workspaceId ?? "" } as Workspace;
    },
    members: async (workspaceId: string) => unwrapList<Member>(await request("GET", `${ws(workspaceId)}/members`), "members"),
    invitations: async (workspaceId: string) => unwrapList<Invitation>(await request("GET", `${ws(workspaceId)}/invitations`)),
    invite: (workspaceId: string, input: In<typeof createInvitationBodySchema>) => request<Invitation>("POST", `${ws(workspaceId)}/invitations`, { body: input }),
    resendInvitation: (workspaceId: string, invitationId: string) => request<Invitation>("POST", `${ws(workspaceId)}/invitations/${enc(invitationId)}/resend`),
    revokeInvitation: (workspaceId: string, invitationId: string) => request<void>("DELETE", `${ws(workspaceId)}/invitations/${enc(invitationId)}`),
    setRole: (workspaceId: string, userId: string, role: WorkspaceRole) => request<Member>("PATCH", `${ws(workspaceId)}/members/${enc(userId)}`, { body: { role } }),
    removeMember: (workspaceId: string, userId: string) => request<void>("DELETE", `${ws(workspaceId)}/members/${enc(userId)}`),
    settings: (workspaceId: string) => request<TenantSettings>("GET", `${ws(workspaceId)}/settings`),
    updateSettings: (workspaceId: string, input: In<typeof updateSettingsBodySchema>) => request<TenantSettings>("PATCH", `${ws(workspaceId)}/settings`, { body: input }),
    usage: (workspaceId: string) => request<PlanUsage>("GET", `${ws(workspaceId)}/usage`),
  },

  templates: {
    list: async () => unwrapList<Template>(await request("GET", `${API}/templates`), "templates"),
  },

  bots: {
    list: async (workspaceId: string) => unwrapList<Bot>(await request("GET", `${ws(workspaceId)}/bots`), "bots"),
    get: async ({ workspaceId, botId }: BotRef) => unwrapOne<Bot>(await request("GET", bot(workspaceId, botId)), "bot"),
    create: async (workspaceId: string, input: In<typeof createBotBodySchema>) => unwrapOne<Bot>(await request("POST", `${ws(workspaceId)}/bots`, { body: input }), "bot"),
    update: async ({ workspaceId, botId }: BotRef, input: In<typeof updateBotBodySchema>) => unwrapOne<Bot>(await request("PATCH", bot(workspaceId, botId), { body: input }), "bot"),
    remove: ({ workspaceId, botId }: BotRef) => request<void>("DELETE", bot(workspaceId, botId)),
  },

  prompts: {
    list: async ({ workspaceId, botId }: BotRef) => unwrapList<Prompt>(await request("GET", `${bot(workspaceId, botId)}/prompts`), "prompts"),
    create: async ({ workspaceId, botId }: BotRef, input: In<typeof createPromptBodySchema>) =>
      unwrapOne<Prompt>(await request("POST", `${bot(workspaceId, botId)}/prompts`, { body: input }), "prompt"),
    update: ({ workspaceId, botId }: BotRef, promptId: string, input: In<typeof updatePromptBodySchema>) =>
      request<Prompt>("PATCH", `${bot(workspaceId, botId)}/prompts/${enc(promptId)}`, { body: input }),
    activate: ({ workspaceId, botId }: BotRef, promptId: string) => request<Prompt>("POST", `${bot(workspaceId, botId)}/prompts/${enc(promptId)}/activate`),
    remove: ({ workspaceId, botId }: BotRef, promptId: string) => request<void>("DELETE", `${bot(workspaceId, botId)}/prompts/${enc(promptId)}`),
  },

  widget: {
    get: async ({ workspaceId, botId }: BotRef) => unwrapOne<WidgetSettings>(await request("GET", `${bot(workspaceId, botId)}/widget`), "widget"),
    update: async ({ workspaceId, botId }: BotRef, input: In<typeof updateWidgetBodySchema>) =>
      unwrapOne<WidgetSettings>(await request("PATCH", `${bot(workspaceId, botId)}/widget`, { body: input }), "widget"),
    origins: async ({ workspaceId, botId }: BotRef) => unwrapList<AllowedOrigin>(await request("GET", `${bot(workspaceId, botId)}/origins`), "origins"),
    addOrigin: ({ workspaceId, botId }: BotRef, origin: string) => request<AllowedOrigin>("POST", `${bot(workspaceId, botId)}/origins`, { body: { origin } }),
    removeOrigin: ({ workspaceId, botId }: BotRef, originId: string) => request<void>("DELETE", `${bot(workspaceId, botId)}/origins/${enc(originId)}`),
  },

  documents: {
    list: async (botId: string) => unwrapList<BotDocument>(await request("GET", docs(botId), { query: { limit: 200 } }), "documents"),
    upload: (botId: string, file: File, onProgress: (fraction: number) => void, signal?: AbortSignal) => {
      const form = new FormData();
      form.append("file", file, file.name);
      return uploadWithProgress<unknown>(docs(botId), form, onProgress, signal).then((v) => unwrapOne<BotDocument>(v, "document"));
    },
    addUrl: async (botId: string, url: string) => unwrapOne<BotDocument>(await request("POST", `${docs(botId)}/url`, { body: { url } }), "document"),
    addText: async (botId: string, input: { name: string; text: string }) => unwrapOne<BotDocument>(await request("POST", `${docs(botId)}/text`, { body: input }), "document"),
    reindex: (botId: string, documentId: string) => request<unknown>("POST", `${docs(botId)}/${enc(documentId)}/reindex`),
    reindexAll: (botId: string) => request<unknown>("POST", `${docs(botId)}/reindex`),
    remove: (botId: string, documentId: string) => request<void>("DELETE", `${docs(botId)}/${enc(documentId)}`),
    downloadUrl: (botId: string, documentId: string) => `${docs(botId)}/${enc(documentId)}/download`,
    /** Server-Sent Events: a `snapshot` of the list, then a `status` event per change. */
    eventsUrl: (botId: string) => `${docs(botId)}/events`,
  },

  apiKeys: {
    list: async (workspaceId: string) => unwrapList<ApiKey>(await request("GET", `${ws(workspaceId)}/api-keys`), "apiKeys"),
    create: async (workspaceId: string, input: In<typeof createApiKeyBodySchema>) => {
      const body = await request<Record<string, unknown>>("POST", `${ws(workspaceId)}/api-keys`, { body: input });
      const key = unwrapOne<CreatedApiKey>(body, "apiKey");
      return { ...key, secret: key.secret ?? (body.secret as string) };
    },
    revoke: (workspaceId: string, apiKeyId: string) => request<void>("DELETE", `${ws(workspaceId)}/api-keys/${enc(apiKeyId)}`),
  },

  /** Platform administration (users with the platform role ADMIN). */
  admin: {
    plans: async () => unwrapList<AdminPlan>(await request("GET", `${API}/admin/plans`)),
    createPlan: (input: In<typeof createPlanBodySchema>) => request<AdminPlan>("POST", `${API}/admin/plans`, { body: input }),
    updatePlan: (planId: string, input: In<typeof updatePlanBodySchema>) => request<PlanChangeResult>("PATCH", `${API}/admin/plans/${enc(planId)}`, { body: input }),
    workspaces: (query: { search?: string; limit?: number; offset?: number }) =>
      request<{ items: AdminWorkspace[]; total: number }>("GET", `${API}/admin/workspaces`, { query }),
    setWorkspacePlan: (workspaceId: string, planId: string) => request<PlanUsage>("PUT", `${API}/admin/workspaces/${enc(workspaceId)}/plan`, { body: { planId } }),
  },

  chat: {
    /** Raw streaming response (the playground and the widget preview both read it). */
    raw: (botId: string, input: { message: string; conversationId?: string }, signal?: AbortSignal) =>
      fetch(`${CHAT}/bots/${enc(botId)}/chat`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", accept: "text/event-stream", ...mutationHeaders() },
        body: JSON.stringify({ ...input, stream: true }),
        ...(signal ? { signal } : {}),
      }),
    /** Streams an answer into the handlers; resolves when the stream ends. */
    stream: async (botId: string, input: { message: string; conversationId?: string }, handlers: StreamHandlers, signal?: AbortSignal) => {
      await consumeChatResponse(await api.chat.raw(botId, input, signal), handlers, signal);
    },
    retrieve: async (botId: string, input: { query: string; mode?: RetrievalMode; topK?: number; minScore?: number }) =>
      unwrapList<RetrievedChunk>(await request("POST", `${CHAT}/bots/${enc(botId)}/retrieve`, { body: input }), "chunks"),
    feedback: (messageId: string, input: { rating: 1 | -1; comment?: string }) => request<unknown>("POST", `${CHAT}/messages/${enc(messageId)}/feedback`, { body: input }),
    conversations: async (botId: string, filters: { channel?: Channel | ""; from?: string; to?: string; feedback?: FeedbackFilter; before?: string }) =>
      unwrapList<ConversationSummary>(await request("GET", `${CHAT}/bots/${enc(botId)}/conversations`, { query: filters }), "items"),
    transcript: async (botId: string, conversationId: string): Promise<Transcript> => {
      const raw = await request<{ conversation: ConversationSummary; messages: (Omit<TranscriptMessage, "citations"> & { citations: TranscriptCitationDto[] })[] }>(
        "GET",
        `${CHAT}/bots/${enc(botId)}/conversations/${enc(conversationId)}`,
      );
      return { conversation: raw.conversation, messages: raw.messages.map((m) => ({ ...m, citations: m.citations.map(normaliseCitation) })) };
    },
    analytics: (botId: string, range: { from: string; to: string }) => request<Analytics>("GET", `${CHAT}/bots/${enc(botId)}/analytics`, { query: range }),
    platformDefaults: () => request<PlatformDefaults>("GET", `${CHAT}/platform/defaults`),
  },

  evals: {
    sets: async (botId: string) => unwrapList<EvalSetSummary>(await request("GET", `${CHAT}/bots/${enc(botId)}/eval-sets`), "items"),
    create: (botId: string, input: { name: string; description?: string | null }) =>
      request<EvalSetSummary>("POST", `${CHAT}/bots/${enc(botId)}/eval-sets`, { body: input }),
    get: (botId: string, setId: string) => request<EvalSetDetail>("GET", `${CHAT}/bots/${enc(botId)}/eval-sets/${enc(setId)}`, { query: { limit: 200 } }),
    remove: (botId: string, setId: string) => request<void>("DELETE", `${CHAT}/bots/${enc(botId)}/eval-sets/${enc(setId)}`),
    addQuestion: (botId: string, setId: string, input: { question: string; expected: (EvalExpectation | { document: string; text?: string })[] }) =>
      request<unknown>("POST", `${CHAT}/bots/${enc(botId)}/eval-sets/${enc(setId)}/questions`, { body: { questions: [input] } }),
    removeQuestion: (botId: string, setId: string, questionId: string) =>
      request<void>("DELETE", `${CHAT}/bots/${enc(botId)}/eval-sets/${enc(setId)}/questions/${enc(questionId)}`),
    import: (botId: string, setId: string, input: { format: "csv" | "json"; content: string }) =>
      request<{ imported: number }>("POST", `${CHAT}/bots/${enc(botId)}/eval-sets/${enc(setId)}/import`, { body: input }),
    fromConversation: (botId: string, setId: string, input: { messageId: string; question?: string; expected: EvalExpectation[] }) =>
      request<unknown>("POST", `${CHAT}/bots/${enc(botId)}/eval-sets/${enc(setId)}/from-conversation`, { body: input }),
    generate: (botId: string, setId: string, count: number, withModel = false) =>
      request<{ generated: number }>("POST", `${CHAT}/bots/${enc(botId)}/eval-sets/${enc(setId)}/generate`, { body: { count, withModel } }),
    run: (botId: string, setId: string, configs?: EvalRunConfig[]) =>
      request<EvalRun>("POST", `${CHAT}/bots/${enc(botId)}/eval-sets/${enc(setId)}/runs`, { body: configs ? { configs } : {} }),
    getRun: (botId: string, runId: string) => request<EvalRun>("GET", `${CHAT}/bots/${enc(botId)}/eval-runs/${enc(runId)}`),
    misses: async (botId: string, runId: string, configIndex: number) =>
      unwrapList<EvalMiss>(await request("GET", `${CHAT}/bots/${enc(botId)}/eval-runs/${enc(runId)}/misses`, { query: { config: configIndex, limit: 100 } }), "items"),
  },
  send,
};
