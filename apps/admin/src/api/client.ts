/**
 * Every endpoint the admin app calls, in one typed module: if a route moves, this is the
 * only file to change. Two openapi-fetch clients typed by the services' OpenAPI documents
 * (generated/api.d.ts, generated/chat.d.ts): the REST API under `/api`, the chat service
 * under `/chat`, both proxied on the admin origin. Paths, parameters, bodies and answers
 * are checked against the documents; http.ts's middleware adds the CSRF header and turns
 * a failed answer into an ApiError. Upload progress (XMLHttpRequest) and the chat stream
 * (Server-Sent Events) are outside what openapi-fetch does and stay on http.ts.
 */
import createClient from "openapi-fetch";
import { consumeChatResponse, normaliseCitation, type StreamHandlers } from "@docent/widget-kit/chat-stream";
import { mutationHeaders, plumbing, setCsrfToken, uploadWithProgress } from "./http";
import type { ApiBody, ApiPaths, Bot, BotDocument, ChatBody, ChatPaths, FeedbackFilter, RawSession, Session, Transcript, WorkspaceRole } from "./types";

const origin = typeof location === "undefined" ? "" : location.origin;
const fetchNow = (request: Request) => globalThis.fetch(request);
const apiClient = createClient<ApiPaths>({ baseUrl: `${origin}/api`, credentials: "same-origin", fetch: fetchNow });
const chatClient = createClient<ChatPaths>({ baseUrl: `${origin}/chat`, credentials: "same-origin", fetch: fetchNow });
apiClient.use(plumbing);
chatClient.use(plumbing);

const API = "/api/v1";
const CHAT = "/chat/v1";
const enc = encodeURIComponent;

/** The typed body of a successful answer (failures were thrown by the middleware); undefined for 204. */
async function ok<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}

/** Query values the forms leave empty are left out rather than sent as `x=`. */
function present<T extends Record<string, unknown>>(query: T): T {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== "")) as T;
}

/** The session answer names workspaces by `workspaceId`; the app uses `id` everywhere. */
export function toSession(raw: Pick<RawSession, "user" | "workspaces"> & { csrfToken?: string }): Session {
  if (raw.csrfToken) setCsrfToken(raw.csrfToken);
  return {
    user: raw.user,
    ...(raw.csrfToken ? { csrfToken: raw.csrfToken } : {}),
    workspaces: raw.workspaces.map((w) => ({ id: w.workspaceId, name: w.name, slug: w.slug, isPersonal: w.isPersonal, role: w.role })),
  };
}

export interface BotRef {
  workspaceId: string;
  botId: string;
}

const wsPath = (workspaceId: string) => ({ params: { path: { workspaceId } } });
const botPath = ({ workspaceId, botId }: BotRef) => ({ params: { path: { workspaceId, botId } } });

export const api = {
  auth: {
    me: async () => toSession(await ok(apiClient.GET("/v1/auth/me"))),
    /** Mails a confirmation link; the account exists once it is followed (verifyEmail). */
    signup: (input: ApiBody<"/v1/auth/signup", "post">) => ok(apiClient.POST("/v1/auth/signup", { body: input })),
    /** Follows a mailed confirmation link with the account's password, and signs in. */
    verifyEmail: async (input: ApiBody<"/v1/auth/verify-email", "post">) => toSession(await ok(apiClient.POST("/v1/auth/verify-email", { body: input }))),
    sendVerification: () => ok(apiClient.POST("/v1/auth/verify-email/send")),
    requestPasswordReset: (email: string) => ok(apiClient.POST("/v1/auth/password-reset", { body: { email } })),
    resetPassword: (input: ApiBody<"/v1/auth/password-reset/confirm", "post">) => ok(apiClient.POST("/v1/auth/password-reset/confirm", { body: input })),
    login: async (input: ApiBody<"/v1/auth/login", "post">) => toSession(await ok(apiClient.POST("/v1/auth/login", { body: input }))),
    logout: () => ok(apiClient.POST("/v1/auth/logout")).finally(() => setCsrfToken(null)),
    /** Password on or off, and the identity providers for "Continue with …". */
    providers: () => ok(apiClient.GET("/v1/auth/providers")),
    /** Where to send the browser to sign in with `provider` (or, with `link`, to link it to the signed-in account). */
    startSso: async (provider: string, options: { link?: boolean; returnTo?: string } = {}) => {
      const init = { params: { path: { provider } }, body: options.returnTo ? { returnTo: options.returnTo } : {} };
      return (await ok(options.link ? apiClient.POST("/v1/auth/sso/{provider}/link", init) : apiClient.POST("/v1/auth/sso/{provider}/start", init))).authorizationUrl;
    },
    /** Finishes a provider sign-in with the query string the provider sent the browser back with. */
    completeSso: async (provider: string, params: string) => {
      const raw = await ok(apiClient.POST("/v1/auth/sso/{provider}/callback", { params: { path: { provider } }, body: { params } }));
      return { result: raw.result, created: raw.created, returnTo: raw.returnTo, provider: raw.provider, session: toSession(raw) };
    },
    pendingLink: () => ok(apiClient.GET("/v1/auth/sso/pending-link")),
    confirmLink: async () => (await ok(apiClient.POST("/v1/auth/sso/pending-link"))).items,
    discardLink: () => ok(apiClient.DELETE("/v1/auth/sso/pending-link")),
    methods: async () => (await ok(apiClient.GET("/v1/auth/methods"))).items,
    removeMethod: (methodId: string) => ok(apiClient.DELETE("/v1/auth/methods/{methodId}", { params: { path: { methodId } } })),
  },

  invitations: {
    preview: (token: string) => ok(apiClient.POST("/v1/invitations/preview", { body: { token } })),
    accept: (token: string) => ok(apiClient.POST("/v1/invitations/accept", { body: { token } })),
  },

  workspaces: {
    create: (name: string) => ok(apiClient.POST("/v1/workspaces", { body: { name } })),
    members: async (workspaceId: string) => (await ok(apiClient.GET("/v1/workspaces/{workspaceId}/members", wsPath(workspaceId)))).items,
    invitations: async (workspaceId: string) => (await ok(apiClient.GET("/v1/workspaces/{workspaceId}/invitations", wsPath(workspaceId)))).items,
    invite: (workspaceId: string, input: ApiBody<"/v1/workspaces/{workspaceId}/invitations", "post">) =>
      ok(apiClient.POST("/v1/workspaces/{workspaceId}/invitations", { ...wsPath(workspaceId), body: input })),
    resendInvitation: (workspaceId: string, invitationId: string) =>
      ok(apiClient.POST("/v1/workspaces/{workspaceId}/invitations/{invitationId}/resend", { params: { path: { workspaceId, invitationId } } })),
    revokeInvitation: (workspaceId: string, invitationId: string) =>
      ok(apiClient.DELETE("/v1/workspaces/{workspaceId}/invitations/{invitationId}", { params: { path: { workspaceId, invitationId } } })),
    setRole: (workspaceId: string, userId: string, role: WorkspaceRole) =>
      ok(apiClient.PATCH("/v1/workspaces/{workspaceId}/members/{userId}", { params: { path: { workspaceId, userId } }, body: { role } })),
    removeMember: (workspaceId: string, userId: string) => ok(apiClient.DELETE("/v1/workspaces/{workspaceId}/members/{userId}", { params: { path: { workspaceId, userId } } })),
    settings: (workspaceId: string) => ok(apiClient.GET("/v1/workspaces/{workspaceId}/settings", wsPath(workspaceId))),
    updateSettings: (workspaceId: string, input: ApiBody<"/v1/workspaces/{workspaceId}/settings", "patch">) =>
      ok(apiClient.PATCH("/v1/workspaces/{workspaceId}/settings", { ...wsPath(workspaceId), body: input })),
    usage: (workspaceId: string) => ok(apiClient.GET("/v1/workspaces/{workspaceId}/usage", wsPath(workspaceId))),
    dailyUsage: (workspaceId: string, query: { from?: string; to?: string; botId?: string }) =>
      ok(apiClient.GET("/v1/workspaces/{workspaceId}/usage/daily", { params: { path: { workspaceId }, query: present(query) } })),
  },

  templates: {
    list: async () => (await ok(apiClient.GET("/v1/templates"))).items,
  },

  bots: {
    list: async (workspaceId: string) => (await ok(apiClient.GET("/v1/workspaces/{workspaceId}/bots", wsPath(workspaceId)))).items,
    get: (ref: BotRef): Promise<Bot> => ok(apiClient.GET("/v1/workspaces/{workspaceId}/bots/{botId}", botPath(ref))),
    create: (workspaceId: string, input: ApiBody<"/v1/workspaces/{workspaceId}/bots", "post">) => ok(apiClient.POST("/v1/workspaces/{workspaceId}/bots", { ...wsPath(workspaceId), body: input })),
    update: (ref: BotRef, input: ApiBody<"/v1/workspaces/{workspaceId}/bots/{botId}", "patch">) =>
      ok(apiClient.PATCH("/v1/workspaces/{workspaceId}/bots/{botId}", { ...botPath(ref), body: input })),
    remove: (ref: BotRef) => ok(apiClient.DELETE("/v1/workspaces/{workspaceId}/bots/{botId}", botPath(ref))),
  },

  prompts: {
    list: async (ref: BotRef) => (await ok(apiClient.GET("/v1/workspaces/{workspaceId}/bots/{botId}/prompts", botPath(ref)))).items,
    create: (ref: BotRef, input: ApiBody<"/v1/workspaces/{workspaceId}/bots/{botId}/prompts", "post">) =>
      ok(apiClient.POST("/v1/workspaces/{workspaceId}/bots/{botId}/prompts", { ...botPath(ref), body: input })),
    update: (ref: BotRef, promptId: string, input: ApiBody<"/v1/workspaces/{workspaceId}/bots/{botId}/prompts/{promptId}", "patch">) =>
      ok(apiClient.PATCH("/v1/workspaces/{workspaceId}/bots/{botId}/prompts/{promptId}", { params: { path: { ...ref, promptId } }, body: input })),
    activate: (ref: BotRef, promptId: string) =>
      ok(apiClient.POST("/v1/workspaces/{workspaceId}/bots/{botId}/prompts/{promptId}/activate", { params: { path: { ...ref, promptId } } })),
    remove: (ref: BotRef, promptId: string) => ok(apiClient.DELETE("/v1/workspaces/{workspaceId}/bots/{botId}/prompts/{promptId}", { params: { path: { ...ref, promptId } } })),
  },

  widget: {
    get: (ref: BotRef) => ok(apiClient.GET("/v1/workspaces/{workspaceId}/bots/{botId}/widget", botPath(ref))),
    update: (ref: BotRef, input: ApiBody<"/v1/workspaces/{workspaceId}/bots/{botId}/widget", "patch">) =>
      ok(apiClient.PATCH("/v1/workspaces/{workspaceId}/bots/{botId}/widget", { ...botPath(ref), body: input })),
    origins: async (ref: BotRef) => (await ok(apiClient.GET("/v1/workspaces/{workspaceId}/bots/{botId}/origins", botPath(ref)))).items,
    addOrigin: (ref: BotRef, origin: string) => ok(apiClient.POST("/v1/workspaces/{workspaceId}/bots/{botId}/origins", { ...botPath(ref), body: { origin } })),
    removeOrigin: (ref: BotRef, originId: string) =>
      ok(apiClient.DELETE("/v1/workspaces/{workspaceId}/bots/{botId}/origins/{originId}", { params: { path: { ...ref, originId } } })),
  },

  documents: {
    list: async (botId: string) => (await ok(apiClient.GET("/v1/bots/{botId}/documents", { params: { path: { botId }, query: { limit: 200 } } }))).documents,
    /** Through XMLHttpRequest, which reports upload progress (fetch cannot). */
    upload: (botId: string, file: File, onProgress: (fraction: number) => void, signal?: AbortSignal) => {
      const form = new FormData();
      form.append("file", file, file.name);
      return uploadWithProgress<BotDocument>(`${API}/bots/${enc(botId)}/documents`, form, onProgress, signal);
    },
    addUrl: (botId: string, url: string) => ok(apiClient.POST("/v1/bots/{botId}/documents/url", { params: { path: { botId } }, body: { url } })),
    addText: (botId: string, input: ApiBody<"/v1/bots/{botId}/documents/text", "post">) =>
      ok(apiClient.POST("/v1/bots/{botId}/documents/text", { params: { path: { botId } }, body: input })),
    updateMetadata: (botId: string, documentId: string, metadata: ApiBody<"/v1/bots/{botId}/documents/{documentId}", "patch">["metadata"]) =>
      ok(apiClient.PATCH("/v1/bots/{botId}/documents/{documentId}", { params: { path: { botId, documentId } }, body: { metadata } })),
    reindex: (botId: string, documentId: string) => ok(apiClient.POST("/v1/bots/{botId}/documents/{documentId}/reindex", { params: { path: { botId, documentId } } })),
    reindexAll: (botId: string) => ok(apiClient.POST("/v1/bots/{botId}/documents/reindex", { params: { path: { botId } } })),
    remove: (botId: string, documentId: string) => ok(apiClient.DELETE("/v1/bots/{botId}/documents/{documentId}", { params: { path: { botId, documentId } } })),
    downloadUrl: (botId: string, documentId: string) => `${API}/bots/${enc(botId)}/documents/${enc(documentId)}/download`,
    /** Server-Sent Events: a `snapshot` of the list, then a `status` event per change. */
    eventsUrl: (botId: string) => `${API}/bots/${enc(botId)}/documents/events`,
  },

  /** Website sources (crawled sites and sitemaps); their progress comes on the documents' event stream. */
  sources: {
    list: async (botId: string) => (await ok(apiClient.GET("/v1/bots/{botId}/sources", { params: { path: { botId } } }))).sources,
    create: (botId: string, input: ApiBody<"/v1/bots/{botId}/sources", "post">) =>
      ok(apiClient.POST("/v1/bots/{botId}/sources", { params: { path: { botId } }, body: input })),
    update: (botId: string, sourceId: string, input: ApiBody<"/v1/bots/{botId}/sources/{sourceId}", "patch">) =>
      ok(apiClient.PATCH("/v1/bots/{botId}/sources/{sourceId}", { params: { path: { botId, sourceId } }, body: input })),
    sync: (botId: string, sourceId: string) => ok(apiClient.POST("/v1/bots/{botId}/sources/{sourceId}/sync", { params: { path: { botId, sourceId } } })),
    runs: async (botId: string, sourceId: string) =>
      (await ok(apiClient.GET("/v1/bots/{botId}/sources/{sourceId}/runs", { params: { path: { botId, sourceId }, query: { limit: 10 } } }))).runs,
    remove: (botId: string, sourceId: string) => ok(apiClient.DELETE("/v1/bots/{botId}/sources/{sourceId}", { params: { path: { botId, sourceId } } })),
  },

  apiKeys: {
    list: async (workspaceId: string) => (await ok(apiClient.GET("/v1/workspaces/{workspaceId}/api-keys", wsPath(workspaceId)))).items,
    create: (workspaceId: string, input: ApiBody<"/v1/workspaces/{workspaceId}/api-keys", "post">) =>
      ok(apiClient.POST("/v1/workspaces/{workspaceId}/api-keys", { ...wsPath(workspaceId), body: input })),
    revoke: (workspaceId: string, apiKeyId: string) => ok(apiClient.DELETE("/v1/workspaces/{workspaceId}/api-keys/{apiKeyId}", { params: { path: { workspaceId, apiKeyId } } })),
  },

  /** Outgoing webhooks of a workspace (admins), their delivery log, test events and redelivery. */
  webhooks: {
    list: async (workspaceId: string) => (await ok(apiClient.GET("/v1/workspaces/{workspaceId}/webhooks", wsPath(workspaceId)))).items,
    create: (workspaceId: string, input: ApiBody<"/v1/workspaces/{workspaceId}/webhooks", "post">) =>
      ok(apiClient.POST("/v1/workspaces/{workspaceId}/webhooks", { ...wsPath(workspaceId), body: input })),
    update: (workspaceId: string, endpointId: string, input: ApiBody<"/v1/workspaces/{workspaceId}/webhooks/{endpointId}", "patch">) =>
      ok(apiClient.PATCH("/v1/workspaces/{workspaceId}/webhooks/{endpointId}", { params: { path: { workspaceId, endpointId } }, body: input })),
    remove: (workspaceId: string, endpointId: string) =>
      ok(apiClient.DELETE("/v1/workspaces/{workspaceId}/webhooks/{endpointId}", { params: { path: { workspaceId, endpointId } } })),
    rotateSecret: (workspaceId: string, endpointId: string) =>
      ok(apiClient.POST("/v1/workspaces/{workspaceId}/webhooks/{endpointId}/rotate-secret", { params: { path: { workspaceId, endpointId } } })),
    sendTest: (workspaceId: string, endpointId: string) =>
      ok(apiClient.POST("/v1/workspaces/{workspaceId}/webhooks/{endpointId}/test", { params: { path: { workspaceId, endpointId } } })),
    deliveries: (workspaceId: string, endpointId: string, query: { limit?: number; offset?: number }) =>
      ok(apiClient.GET("/v1/workspaces/{workspaceId}/webhooks/{endpointId}/deliveries", { params: { path: { workspaceId, endpointId }, query: present(query) } })),
    redeliver: (workspaceId: string, endpointId: string, deliveryId: string) =>
      ok(
        apiClient.POST("/v1/workspaces/{workspaceId}/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver", {
          params: { path: { workspaceId, endpointId, deliveryId } },
        }),
      ),
  },

  /** Platform administration (users with the platform role ADMIN). */
  admin: {
    errorLogs: (query: { service?: "api" | "chat" | "worker"; errorType?: string; botId?: string; from?: string; to?: string; limit?: number; offset?: number }) =>
      ok(apiClient.GET("/v1/admin/error-logs", { params: { query: present(query) } })),
    plans: async () => (await ok(apiClient.GET("/v1/admin/plans"))).items,
    createPlan: (input: ApiBody<"/v1/admin/plans", "post">) => ok(apiClient.POST("/v1/admin/plans", { body: input })),
    updatePlan: (planId: string, input: ApiBody<"/v1/admin/plans/{planId}", "patch">) => ok(apiClient.PATCH("/v1/admin/plans/{planId}", { params: { path: { planId } }, body: input })),
    workspaces: (query: { search?: string; limit?: number; offset?: number }) => ok(apiClient.GET("/v1/admin/workspaces", { params: { query: present(query) } })),
    setWorkspacePlan: (workspaceId: string, planId: string) => ok(apiClient.PUT("/v1/admin/workspaces/{workspaceId}/plan", { ...wsPath(workspaceId), body: { planId } })),
  },

  chat: {
    /** Raw streaming response (the playground and the widget preview both read it): Server-Sent Events, so plain fetch. */
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
    retrieve: async (botId: string, input: ChatBody<"/v1/bots/{botId}/retrieve", "post">) =>
      (await ok(chatClient.POST("/v1/bots/{botId}/retrieve", { params: { path: { botId } }, body: input }))).chunks,
    feedback: (messageId: string, input: ChatBody<"/v1/messages/{messageId}/feedback", "post">) =>
      ok(chatClient.POST("/v1/messages/{messageId}/feedback", { params: { path: { messageId } }, body: input })),
    conversations: async (
      botId: string,
      filters: { channel?: ConversationChannel | ""; from?: string; to?: string; feedback?: FeedbackFilter; handoff?: "" | "requested"; before?: string },
    ) =>
      (await ok(chatClient.GET("/v1/bots/{botId}/conversations", { params: { path: { botId }, query: present(filters) as ConversationQuery } }))).items,
    transcript: async (botId: string, conversationId: string): Promise<Transcript> => {
      const raw = await ok(chatClient.GET("/v1/bots/{botId}/conversations/{conversationId}", { params: { path: { botId, conversationId } } }));
      return { conversation: raw.conversation, messages: raw.messages.map((m) => ({ ...m, citations: m.citations.map(normaliseCitation) })) };
    },
    analytics: (botId: string, range: { from: string; to: string }) => ok(chatClient.GET("/v1/bots/{botId}/analytics", { params: { path: { botId }, query: range } })),
    platformDefaults: () => ok(chatClient.GET("/v1/platform/defaults")),
    /** A download link (the session cookie authenticates the GET): the browser streams the file to disk. */
    exportUrl: (botId: string, kind: "conversations" | "analytics", q: { from: string; to: string; format: "csv" | "json" }) =>
      `${CHAT}/bots/${enc(botId)}/exports/${kind}?${new URLSearchParams(q).toString()}`,
  },

  topics: {
    list: (botId: string) => ok(chatClient.GET("/v1/bots/{botId}/topics", { params: { path: { botId } } })),
    create: (botId: string, input: ChatBody<"/v1/bots/{botId}/topics", "post">) =>
      ok(chatClient.POST("/v1/bots/{botId}/topics", { params: { path: { botId } }, body: input })),
    update: (botId: string, topicId: string, input: ChatBody<"/v1/bots/{botId}/topics/{topicId}", "put">) =>
      ok(chatClient.PUT("/v1/bots/{botId}/topics/{topicId}", { params: { path: { botId, topicId } }, body: input })),
    remove: (botId: string, topicId: string) => ok(chatClient.DELETE("/v1/bots/{botId}/topics/{topicId}", { params: { path: { botId, topicId } } })),
    setThreshold: (botId: string, threshold: number) =>
      ok(chatClient.PUT("/v1/bots/{botId}/topic-settings", { params: { path: { botId } }, body: { threshold } })),
    suggestions: (botId: string, days: number) =>
      ok(chatClient.GET("/v1/bots/{botId}/topics/suggestions", { params: { path: { botId }, query: { days } } })),
    stats: (botId: string, range: { from: string; to: string }) =>
      ok(chatClient.GET("/v1/bots/{botId}/topics/stats", { params: { path: { botId }, query: range } })),
  },

  /** Curated answers (given instead of a generated answer to close questions) and the unanswered-questions inbox. */
  curated: {
    list: (botId: string, query: { limit: number; offset: number; search?: string }) =>
      ok(chatClient.GET("/v1/bots/{botId}/curated-answers", { params: { path: { botId }, query: present(query) } })),
    create: (botId: string, input: ChatBody<"/v1/bots/{botId}/curated-answers", "post">) =>
      ok(chatClient.POST("/v1/bots/{botId}/curated-answers", { params: { path: { botId } }, body: input })),
    update: (botId: string, curatedAnswerId: string, input: ChatBody<"/v1/bots/{botId}/curated-answers/{curatedAnswerId}", "patch">) =>
      ok(chatClient.PATCH("/v1/bots/{botId}/curated-answers/{curatedAnswerId}", { params: { path: { botId, curatedAnswerId } }, body: input })),
    remove: (botId: string, curatedAnswerId: string) =>
      ok(chatClient.DELETE("/v1/bots/{botId}/curated-answers/{curatedAnswerId}", { params: { path: { botId, curatedAnswerId } } })),
    inbox: (botId: string, query: { from: string; to: string; similarity?: number }) =>
      ok(chatClient.GET("/v1/bots/{botId}/inbox", { params: { path: { botId }, query } })),
    markHandled: (botId: string, queryLogIds: string[]) =>
      ok(chatClient.POST("/v1/bots/{botId}/inbox/handled", { params: { path: { botId } }, body: { queryLogIds } })),
  },

  evals: {
    sets: async (botId: string) => (await ok(chatClient.GET("/v1/bots/{botId}/eval-sets", { params: { path: { botId } } }))).items,
    create: (botId: string, input: ChatBody<"/v1/bots/{botId}/eval-sets", "post">) => ok(chatClient.POST("/v1/bots/{botId}/eval-sets", { params: { path: { botId } }, body: input })),
    get: (botId: string, setId: string) => ok(chatClient.GET("/v1/bots/{botId}/eval-sets/{setId}", { params: { path: { botId, setId }, query: { limit: 200 } } })),
    remove: (botId: string, setId: string) => ok(chatClient.DELETE("/v1/bots/{botId}/eval-sets/{setId}", { params: { path: { botId, setId } } })),
    addQuestion: (botId: string, setId: string, input: ChatBody<"/v1/bots/{botId}/eval-sets/{setId}/questions", "post">["questions"][number]) =>
      ok(chatClient.POST("/v1/bots/{botId}/eval-sets/{setId}/questions", { params: { path: { botId, setId } }, body: { questions: [input] } })),
    removeQuestion: (botId: string, setId: string, questionId: string) =>
      ok(chatClient.DELETE("/v1/bots/{botId}/eval-sets/{setId}/questions/{questionId}", { params: { path: { botId, setId, questionId } } })),
    import: (botId: string, setId: string, input: ChatBody<"/v1/bots/{botId}/eval-sets/{setId}/import", "post">) =>
      ok(chatClient.POST("/v1/bots/{botId}/eval-sets/{setId}/import", { params: { path: { botId, setId } }, body: input })),
    fromConversation: (botId: string, setId: string, input: ChatBody<"/v1/bots/{botId}/eval-sets/{setId}/from-conversation", "post">) =>
      ok(chatClient.POST("/v1/bots/{botId}/eval-sets/{setId}/from-conversation", { params: { path: { botId, setId } }, body: input })),
    generate: (botId: string, setId: string, count: number, withModel = false) =>
      ok(chatClient.POST("/v1/bots/{botId}/eval-sets/{setId}/generate", { params: { path: { botId, setId } }, body: { count, withModel } })),
    run: (botId: string, setId: string, configs?: ChatBody<"/v1/bots/{botId}/eval-sets/{setId}/runs", "post">["configs"]) =>
      ok(chatClient.POST("/v1/bots/{botId}/eval-sets/{setId}/runs", { params: { path: { botId, setId } }, body: configs ? { configs } : {} })),
    getRun: (botId: string, runId: string) => ok(chatClient.GET("/v1/bots/{botId}/eval-runs/{runId}", { params: { path: { botId, runId } } })),
    misses: async (botId: string, runId: string, configIndex: number) =>
      (await ok(chatClient.GET("/v1/bots/{botId}/eval-runs/{runId}/misses", { params: { path: { botId, runId }, query: { config: configIndex, limit: 100 } } }))).items,
  },
};

type ConversationQuery = NonNullable<ChatPaths["/v1/bots/{botId}/conversations"]["get"]["parameters"]["query"]>;
type ConversationChannel = NonNullable<ConversationQuery["channel"]>;
