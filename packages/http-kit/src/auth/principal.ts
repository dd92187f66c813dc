/**
 * Who is calling and what they may do. Authentication yields an `Identity` (a signed-in
 * user or an API key); a route under /workspaces/:workspaceId then resolves it into a
 * `WorkspaceAccess` with the caller's permissions in that workspace.
 */
import type { ApiKeyScope } from "@docent/contracts/json";
import type { WorkspaceRole } from "@docent/contracts/enums";

/** API-key scopes plus two that only members hold: reading and administering the workspace. */
export type Permission = ApiKeyScope | "workspace:read" | "workspace:admin";

export type Identity =
  | {
      kind: "session";
      userId: string;
      email: string;
      platformRole: "USER" | "ADMIN";
      sessionId: string;
      /** Expected in `x-csrf-token` on cookie-authenticated mutations. */
      csrfToken: string;
    }
  | {
      kind: "apiKey";
      apiKeyId: string;
      workspaceId: string;
      scopes: ApiKeyScope[];
      /** When set, every bot-addressed request must target this bot. */
      botId: string | null;
      createdBy: string | null;
    };

export interface WorkspaceAccess {
  workspaceId: string;
  /** Null for API keys. */
  userId: string | null;
  role: WorkspaceRole | null;
  apiKeyId: string | null;
  /** Bot restriction of an API key. */
  botId: string | null;
  permissions: ReadonlySet<Permission>;
}

const ALL_SCOPES: ApiKeyScope[] = ["bots:read", "bots:write", "documents:write", "chat", "analytics:read"];

/** OWNER/ADMIN manage everything; MEMBER reads (and may chat in the playground). */
export const rolePermissions: Record<WorkspaceRole, readonly Permission[]> = {
  OWNER: [...ALL_SCOPES, "workspace:read", "workspace:admin"],
  ADMIN: [...ALL_SCOPES, "workspace:read", "workspace:admin"],
  MEMBER: ["bots:read", "analytics:read", "chat", "workspace:read"],
};

export function accessForMember(workspaceId: string, userId: string, role: WorkspaceRole): WorkspaceAccess {
  return { workspaceId, userId, role, apiKeyId: null, botId: null, permissions: new Set(rolePermissions[role]) };
}

export function accessForApiKey(identity: Extract<Identity, { kind: "apiKey" }>): WorkspaceAccess {
  return {
    workspaceId: identity.workspaceId,
    userId: null,
    role: null,
    apiKeyId: identity.apiKeyId,
    botId: identity.botId,
    permissions: new Set<Permission>([...identity.scopes, "workspace:read"]),
  };
}

/** How a route is protected; every route must declare one (`config.auth`). */
export type RouteAuth =
  /** Anyone, no identity resolved (health, sign-up, login, public catalogue). */
  | { kind: "public" }
  /** A signed-in user (cookie session); API keys are refused. */
  | { kind: "session"; platformAdmin?: boolean }
  /** A signed-in user or any valid API key. */
  | { kind: "identity" }
  /**
   * A member or key of the `:workspaceId` in the path holding `permission`. A workspace
   * the caller cannot see answers 404, a missing permission 403. `sessionOnly` refuses
   * API keys whatever their scopes (member management, keys, settings).
   */
  | { kind: "workspace"; permission: Permission; sessionOnly?: boolean };
