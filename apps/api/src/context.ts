/** What route modules receive: the app, the services and the session manager. */
import type { SessionManager } from "@docent/http-kit/auth";
import type { ServiceApp } from "@docent/http-kit/fastify";
import type { AttemptLimiter } from "@docent/http-kit/rate-limit";
import type { FastifyRequest } from "fastify";
import type { ApiEnv } from "./env";
import type { createAdminService } from "./services/admin-service";
import type { createApiKeyService } from "./services/api-key-service";
import type { AuthService } from "./services/auth-service";
import type { BotService } from "./services/bot-service";
import type { createCatalogService } from "./services/catalog-service";
import type { InvitationService } from "./services/invitation-service";
import type { createSettingsService } from "./services/settings-service";
import type { SsoService } from "./services/sso-service";
import type { WorkspaceService } from "./services/workspace-service";

export interface Services {
  auth: AuthService;
  sso: SsoService;
  workspaces: WorkspaceService;
  invitations: InvitationService;
  bots: BotService;
  apiKeys: ReturnType<typeof createApiKeyService>;
  settings: ReturnType<typeof createSettingsService>;
  catalog: ReturnType<typeof createCatalogService>;
  admin: ReturnType<typeof createAdminService>;
}

export interface RouteContext {
  app: ServiceApp;
  env: ApiEnv;
  services: Services;
  sessions: SessionManager;
  loginFailures: AttemptLimiter;
  /**
   * Counts one mail to `email` and says whether it may go out (MAIL_PER_ADDRESS_PER_HOUR),
   * so nobody can flood an inbox through sign-up, resets or invitations.
   */
  mailQuota(request: FastifyRequest, email: string): Promise<boolean>;
}
