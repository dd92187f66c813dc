/**
 * Which identity providers the operator configured, read from env:
 *
 * - `OIDC_PROVIDERS=keycloak,okta` names OpenID Connect providers; each has
 *   `OIDC_<NAME>_ISSUER`, `_CLIENT_ID`, `_CLIENT_SECRET` (or `_CLIENT_SECRET_FILE`),
 *   and optionally `_NAME` (the button label), `_SCOPES`, `_CLIENT_AUTH`, `_TRUST_EMAIL`.
 *   `<NAME>` is the name upper-cased with `-` as `_`.
 * - `GOOGLE_CLIENT_ID` / `GOOGLE_CLIENT_SECRET`: Google (OpenID Connect, fixed issuer).
 * - `GITHUB_CLIENT_ID` / `GITHUB_CLIENT_SECRET` (+ `GITHUB_URL`, `GITHUB_API_URL` for
 *   GitHub Enterprise Server): GitHub's OAuth 2, which is not OpenID Connect.
 *
 * The per-provider variables have names the env schema cannot list, so the schema keeps
 * unknown variables and `readSsoConfig` checks them; its issues name the variable, and the
 * schema reports them like any other (the process exits 78).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

/** What the URL, the button and the stored method call a provider: "google", "github", "keycloak". */
export type ProviderId = string;

export interface OidcProviderConfig {
  id: ProviderId;
  /** `google` is Google's OpenID Connect with its fixed issuer; `oidc` any other. */
  kind: "oidc" | "google";
  displayName: string;
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  clientAuth: "client_secret_basic" | "client_secret_post" | "none";
  scopes: string;
  /**
   * Treat the provider's addresses as verified when it sends no `email_verified` claim
   * (Entra ID sends none): for directories that only hold addresses they issued. An
   * explicit `email_verified: false` still counts as unverified.
   */
  trustEmail: boolean;
}

export interface GithubProviderConfig {
  id: "github";
  kind: "github";
  displayName: string;
  clientId: string;
  clientSecret: string;
  /** Where /login/oauth/* live: https://github.com, or a GitHub Enterprise Server. */
  webUrl: string;
  /** The REST API: https://api.github.com, or https://<ghes host>/api/v3. */
  apiUrl: string;
}

export type ProviderConfig = OidcProviderConfig | GithubProviderConfig;

export interface SsoIssue {
  variable: string;
  message: string;
}

export const GOOGLE_ISSUER = "https://accounts.google.com";
export const DEFAULT_OIDC_SCOPES = "openid email profile";
const RESERVED = new Set(["email", "google", "github", "password"]);
export const PROVIDER_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** Fields of the env schema itself (their names are fixed). */
export const ssoEnvFields = {
  /** Comma-separated names of OpenID Connect providers; see OIDC_<NAME>_* . */
  OIDC_PROVIDERS: z.string().optional(),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  GITHUB_CLIENT_ID: z.string().min(1).optional(),
  GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  GITHUB_URL: z.url({ protocol: /^https?$/ }).default("https://github.com"),
  GITHUB_API_URL: z.url({ protocol: /^https?$/ }).default("https://api.github.com"),
  /** Longest wait for one request to an identity provider (discovery, token, keys, user info). */
  SSO_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  /** Comma-separated e-mail domains that may sign in or sign up (any method); unset = any. */
  AUTH_EMAIL_DOMAINS: z.string().optional(),
};

export const envName = (id: ProviderId) => `OIDC_${id.toUpperCase().replace(/-/g, "_")}`;

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** https, or http on loopback; any http outside production (a provider on the compose network). */
function checkUrl(value: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a URL";
  }
  if (url.protocol === "https:") return null;
  if (url.protocol !== "http:") return "must be an https:// URL";
  if (production && !LOOPBACK_HOSTS.has(url.hostname)) return "must be an https:// URL in production (http only for loopback)";
  return null;
}

const splitList = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");

/** The e-mail domains of AUTH_EMAIL_DOMAINS, lower-cased; issues for malformed ones. */
export function parseEmailDomains(value: string | undefined): { domains: string[]; issues: SsoIssue[] } {
  const domains = splitList(value).map((d) => d.toLowerCase().replace(/^@/, ""));
  const bad = domains.filter((d) => !/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(d));
  return {
    domains,
    issues: bad.length ? [{ variable: "AUTH_EMAIL_DOMAINS", message: `"${bad.join('", "')}" is not an e-mail domain (example.com)` }] : [],
  };
}

/**
 * The configured providers (Google, GitHub, then OIDC_PROVIDERS in order) and what is
 * wrong with the configuration. `env` is the whole parsed environment (unknown keys kept).
 */
export function readSsoConfig(env: Record<string, unknown>): { providers: ProviderConfig[]; issues: SsoIssue[] } {
  const str = (name: string): string | undefined => {
    const value = env[name];
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };
  const production = env.NODE_ENV === "production";
  const issues: SsoIssue[] = [];
  const providers: ProviderConfig[] = [];

  const googleId = str("GOOGLE_CLIENT_ID");
  const googleSecret = str("GOOGLE_CLIENT_SECRET");
  if (googleId || googleSecret) {
    if (!googleId) issues.push({ variable: "GOOGLE_CLIENT_ID", message: "is required with GOOGLE_CLIENT_SECRET" });
    else if (!googleSecret) issues.push({ variable: "GOOGLE_CLIENT_SECRET", message: "is required with GOOGLE_CLIENT_ID" });
    else {
      providers.push({
        id: "google",
        kind: "google",
        displayName: "Google",
        issuer: GOOGLE_ISSUER,
        clientId: googleId,
        clientSecret: googleSecret,
        clientAuth: "client_secret_basic",
        scopes: DEFAULT_OIDC_SCOPES,
        trustEmail: false,
      });
    }
  }

  const githubId = str("GITHUB_CLIENT_ID");
  const githubSecret = str("GITHUB_CLIENT_SECRET");
  if (githubId || githubSecret) {
    if (!githubId) issues.push({ variable: "GITHUB_CLIENT_ID", message: "is required with GITHUB_CLIENT_SECRET" });
    else if (!githubSecret) issues.push({ variable: "GITHUB_CLIENT_SECRET", message: "is required with GITHUB_CLIENT_ID" });
    else {
      const webUrl = str("GITHUB_URL") ?? "https://github.com";
      const apiUrl = str("GITHUB_API_URL") ?? "https://api.github.com";
      for (const [variable, value] of [["GITHUB_URL", webUrl], ["GITHUB_API_URL", apiUrl]] as const) {
        const problem = checkUrl(value, production);
        if (problem) issues.push({ variable, message: problem });
      }
      providers.push({
        id: "github",
        kind: "github",
        displayName: "GitHub",
        clientId: githubId,
        clientSecret: githubSecret,
        webUrl: webUrl.replace(/\/+$/, ""),
        apiUrl: apiUrl.replace(/\/+$/, ""),
      });
    }
  }

  const names = splitList(str("OIDC_PROVIDERS"));
  const seen = new Set<string>();
  for (const raw of names) {
    const id = raw.toLowerCase();
    if (!PROVIDER_NAME.test(id)) {
      issues.push({ variable: "OIDC_PROVIDERS", message: `"${raw}" is not a provider name (letters, digits and "-", starting with a letter, at most 32)` });
      continue;
    }
    if (RESERVED.has(id)) {
      issues.push({
        variable: "OIDC_PROVIDERS",
        message: `"${id}" is reserved${id === "google" || id === "github" ? `: configure it with ${id.toUpperCase()}_CLIENT_ID and ${id.toUpperCase()}_CLIENT_SECRET` : ""}`,
      });
      continue;
    }
    if (seen.has(id)) {
      issues.push({ variable: "OIDC_PROVIDERS", message: `"${id}" is listed twice` });
      continue;
    }
    seen.add(id);
    const prefix = envName(id);
    const issuer = str(`${prefix}_ISSUER`);
    const clientId = str(`${prefix}_CLIENT_ID`);
    let clientSecret = str(`${prefix}_CLIENT_SECRET`);
    const secretFile = str(`${prefix}_CLIENT_SECRET_FILE`);
    if (!clientSecret && secretFile) {
      try {
        clientSecret = readFileSync(secretFile, "utf8").trim() || undefined;
      } catch (error) {
        issues.push({ variable: `${prefix}_CLIENT_SECRET_FILE`, message: `cannot read ${secretFile} (${(error as NodeJS.ErrnoException).code ?? error})` });
      }
    }
    if (!issuer) issues.push({ variable: `${prefix}_ISSUER`, message: `is required: the issuer URL of "${id}" (its /.well-known/openid-configuration lives under it)` });
    else {
      const problem = checkUrl(issuer, production);
      if (problem) issues.push({ variable: `${prefix}_ISSUER`, message: problem });
    }
    if (!clientId) issues.push({ variable: `${prefix}_CLIENT_ID`, message: `is required: the client id Docent has at "${id}"` });
    const scopes = str(`${prefix}_SCOPES`)?.replace(/[\s,]+/g, " ") ?? DEFAULT_OIDC_SCOPES;
    if (!scopes.split(" ").includes("openid")) issues.push({ variable: `${prefix}_SCOPES`, message: 'must include "openid"' });
    const auth = str(`${prefix}_CLIENT_AUTH`) ?? (clientSecret ? "client_secret_basic" : "none");
    if (auth !== "client_secret_basic" && auth !== "client_secret_post" && auth !== "none") {
      issues.push({ variable: `${prefix}_CLIENT_AUTH`, message: "must be client_secret_basic, client_secret_post or none" });
    } else if (auth !== "none" && !clientSecret) {
      issues.push({ variable: `${prefix}_CLIENT_SECRET`, message: `is required with ${prefix}_CLIENT_AUTH=${auth} (or set it to none for a public client)` });
    }
    const trust = str(`${prefix}_TRUST_EMAIL`) ?? "false";
    if (!["true", "false", "1", "0"].includes(trust)) issues.push({ variable: `${prefix}_TRUST_EMAIL`, message: "must be true or false" });
    const displayName = str(`${prefix}_NAME`) ?? id.charAt(0).toUpperCase() + id.slice(1);
    if (displayName.length > 64) issues.push({ variable: `${prefix}_NAME`, message: "must be at most 64 characters" });
    if (!issuer || !clientId) continue;
    providers.push({
      id,
      kind: "oidc",
      displayName,
      issuer,
      clientId,
      clientSecret,
      clientAuth: auth as OidcProviderConfig["clientAuth"],
      scopes,
      trustEmail: trust === "true" || trust === "1",
    });
  }
  return { providers, issues };
}
