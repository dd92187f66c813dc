/** The API's configuration, parsed once at start-up; a bad value stops the process naming it. */
import { envFields } from "@docent/config/env";
import { shutdownTimeoutField } from "@docent/config/run-service";
import { sessionEnvFields } from "@docent/http-kit/auth/sessions";
import { encryptionKeysEnvField } from "@docent/service-kit/crypto/secrets";
import { metricsEnvFields } from "@docent/service-kit/metrics";
import { trustProxyField } from "@docent/http-kit/proxy-trust";
import { storageEnvSchema } from "@docent/storage/env";
import { z } from "zod";
import { parseEmailDomains, readSsoConfig, ssoEnvFields } from "./sso/config";

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/**
 * Storage variables (STORAGE_DRIVER, STORAGE_DIR, S3_*) are shared with the worker.
 * Unknown variables are kept: the OpenID Connect providers' OIDC_<NAME>_* have names no
 * schema can list, so `readSsoConfig` checks them here (see sso/config.ts).
 */
export const apiEnvSchema = storageEnvSchema
  .extend({
    NODE_ENV: envFields.nodeEnv,
    LOG_LEVEL: envFields.logLevel,
    HOST: z.string().default("0.0.0.0"),
    PORT: envFields.port(3000),
    DATABASE_URL: envFields.databaseUrl,
    DATABASE_POOL_MAX: envFields.databasePoolMax,
    DATABASE_CONNECT_TIMEOUT_MS: envFields.databaseConnectTimeoutMs,
    /** Limit on one SQL statement of a request; past it the request answers 503. */
    DATABASE_STATEMENT_TIMEOUT_MS: envFields.databaseStatementTimeoutMs(30_000),
    REDIS_URL: envFields.redisUrl,
    /** Prefix of every Redis key the API writes (rate-limit counters). */
    REDIS_KEY_PREFIX: z.string().min(1).max(64).default("docent:"),
    /** "kid:base64(32 bytes),..." ; the first key encrypts. Required in production. */
    DOCENT_ENCRYPTION_KEYS: encryptionKeysEnvField,
    ...sessionEnvFields,
    /** Who may set X-Forwarded-For: see @docent/service-kit/proxy-trust. */
    TRUST_PROXY: trustProxyField,
    API_BODY_LIMIT_BYTES: positiveInt(1024 * 1024),
    API_RATE_LIMIT_MAX: positiveInt(600),
    API_RATE_LIMIT_WINDOW_MS: positiveInt(60_000),
    LOGIN_RATE_LIMIT_PER_IP: positiveInt(30),
    LOGIN_FAILURES_PER_ACCOUNT: positiveInt(10),
    LOGIN_RATE_LIMIT_WINDOW_MS: positiveInt(15 * 60_000),
    /** Base URL shown in the OpenAPI document's `servers`, e.g. https://docent.example.com/api. */
    PUBLIC_API_URL: z.url().optional(),
    /** BullMQ key prefix; the worker must use the same one to see the API's jobs. */
    QUEUE_PREFIX: z.string().min(1).default("docent"),
    /**
     * Hard ceiling for one uploaded file, whatever the plan says (the plan's lower
     * maxFileSizeMb is enforced too). Uploads are streamed, so this bounds disk, not memory.
     */
    DOCUMENT_UPLOAD_MAX_BYTES: positiveInt(1024 * 1024 * 1024),
    /**
     * Lets tenants save BYOK base URLs on private, loopback or link-local addresses (a
     * self-hosted Ollama on the same network). Off by default: such URLs would let a tenant
     * make the server call internal services.
     */
    ALLOW_PRIVATE_MODEL_URLS: envFields.booleanFlag(false),
    /**
     * Lets website sources start on private or loopback addresses (local development,
     * tests, an intranet). Off by default, like URL documents: a tenant could otherwise
     * make the crawler read internal services. Same value as the worker's, which checks
     * every request again when it connects.
     */
    ALLOW_PRIVATE_SOURCE_URLS: envFields.booleanFlag(false),
    /**
     * Lets webhook endpoints be saved on private or loopback addresses (tests, an
     * intranet receiver). Off by default: a tenant could otherwise make the server POST to
     * internal services. Same value as the worker's, which checks every delivery's
     * connection again.
     */
    ALLOW_PRIVATE_WEBHOOK_URLS: envFields.booleanFlag(false),
    /** SIGTERM: longest wait for in-flight requests; keep below the orchestrator's grace period. */
    SHUTDOWN_TIMEOUT_MS: shutdownTimeoutField,
    /**
     * Outgoing mail (sign-up verification, invitations, password resets), e.g.
     * smtp://user:pass@mail.example.com:587 or smtps://...:465. Required in production;
     * unset in development, mail is not sent and the API logs so (with the link).
     */
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    /** The From of every mail, e.g. "Docent <no-reply@docent.example.com>". */
    MAIL_FROM: z.string().min(3).max(320).default("Docent <no-reply@docent.local>"),
    /** Mails to one address per hour (sign-up, resets, invitations); more are not sent. */
    MAIL_PER_ADDRESS_PER_HOUR: positiveInt(5),
    /** Where people open the admin app; the base of every link in mail. */
    PUBLIC_APP_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:8080"),
    /** Sign-in with e-mail and password (sign-up, login, resets); false leaves only the identity providers. */
    AUTH_PASSWORD_ENABLED: envFields.booleanFlag(true),
    ...ssoEnvFields,
    /**
     * Prometheus `/metrics` on a listener of its own, never the API port (which the admin
     * app's proxy exposes): METRICS_HOST (default 127.0.0.1), METRICS_PORT (9464; "off"),
     * METRICS_TOKEN (a bearer token scrapes must send).
     */
    ...metricsEnvFields(9464),
    /**
     * Code of the plan new workspaces start on, applied at every start (it wins over the
     * admin screen's choice). "unlimited" creates the Unlimited plan (no quotas) for a
     * single-tenant install. Unset: the default stays what the admin screen set (Free at
     * first).
     */
    DEFAULT_PLAN: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "must be a plan code, e.g. free, pro, business or unlimited")
      .optional(),
  })
  .loose()
  .superRefine((env, ctx) => {
    const sso = readSsoConfig(env);
    for (const issue of [...sso.issues, ...parseEmailDomains(env.AUTH_EMAIL_DOMAINS).issues]) {
      ctx.addIssue({ code: "custom", path: [issue.variable], message: issue.message });
    }
    if (!env.AUTH_PASSWORD_ENABLED && sso.providers.length === 0 && sso.issues.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_PASSWORD_ENABLED"],
        message: "cannot be false without an identity provider (OIDC_PROVIDERS, GOOGLE_CLIENT_ID or GITHUB_CLIENT_ID): nobody could sign in",
      });
    }
    if (env.NODE_ENV === "production" && !env.SMTP_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["SMTP_URL"],
        message: "is required in production: sign-up, invitations and password resets are sent by e-mail",
      });
    }
    if (env.NODE_ENV === "production" && !env.DOCENT_ENCRYPTION_KEYS) {
      ctx.addIssue({
        code: "custom",
        path: ["DOCENT_ENCRYPTION_KEYS"],
        message: "is required in production (generate one: kid1:$(openssl rand -base64 32))",
      });
    }
  });

export type ApiEnv = z.infer<typeof apiEnvSchema>;

