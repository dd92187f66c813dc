/**
 * Single sign-on in the API tests: a real OpenID Connect provider (oidc-provider) and a
 * GitHub-protocol server on loopback, the env that configures the API for them, and the
 * browser's part of a sign-in driven step by step: start (which sets the binding cookie),
 * the provider's login, and the callback the admin app would post.
 */
import { type GithubTestServer, startGithubServer } from "@docent/testing/github-oauth";
import { type OidcTestProvider, startOidcProvider } from "@docent/testing/oidc-provider";
import type { LightMyRequestResponse } from "fastify";
import { afterAll } from "vitest";
import { APP_URL, type TestApi, sessionCookieFrom } from "./harness";

type App = TestApi["app"];

export const BINDING_COOKIE = "docent_session_sso";

/**
 * The test providers and the API env for them. `alsoAs` names more OIDC_PROVIDERS entries
 * the test may configure against the same OpenID Connect provider (their redirect URIs
 * are registered there).
 */
export async function startTestProviders(
  options: { alsoAs?: string[] } = {},
): Promise<{ keycloak: OidcTestProvider; github: GithubTestServer; env: Record<string, string> }> {
  const names = ["keycloak", ...(options.alsoAs ?? [])];
  const keycloak = await startOidcProvider({ redirectUris: names.map((name) => `${APP_URL}/auth/callback/${name}`) });
  const github = await startGithubServer({ redirectUri: `${APP_URL}/auth/callback/github` });
  afterAll(async () => {
    await keycloak.close();
    await github.close();
  });
  return {
    keycloak,
    github,
    env: {
      OIDC_PROVIDERS: "keycloak",
      OIDC_KEYCLOAK_ISSUER: keycloak.issuer,
      OIDC_KEYCLOAK_CLIENT_ID: keycloak.client.clientId,
      OIDC_KEYCLOAK_CLIENT_SECRET: keycloak.client.clientSecret,
      OIDC_KEYCLOAK_NAME: "Keycloak",
      GITHUB_CLIENT_ID: github.clientId,
      GITHUB_CLIENT_SECRET: github.clientSecret,
      GITHUB_URL: github.url,
      GITHUB_API_URL: github.apiUrl,
      SSO_TIMEOUT_MS: "1500",
      // Every test signs in many times from one address.
      LOGIN_RATE_LIMIT_PER_IP: "100000",
    },
  };
}

/** One browser: its cookies (binding, session) carried from request to request. */
export class Browser {
  cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(private readonly app: App) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(method: "GET" | "POST" | "DELETE", url: string, payload?: object): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method,
      url,
      headers: { cookie: this.cookieHeader, ...(this.csrfToken ? { "x-csrf-token": this.csrfToken } : {}) },
      ...(payload === undefined ? {} : { payload }),
    });
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const gone = cookie.value === "" || cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now());
      if (gone) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const body = response.headers["content-type"]?.toString().includes("json") ? (response.json() as { csrfToken?: string }) : {};
    if (response.statusCode === 200 && typeof body.csrfToken === "string") this.csrfToken = body.csrfToken;
    return response;
  }

  /** POST /start (or /link when signed in and `link`), answers the authorization URL. */
  async start(provider: string, options: { link?: boolean; returnTo?: string } = {}): Promise<string> {
    const response = await this.request("POST", `/v1/auth/sso/${provider}/${options.link ? "link" : "start"}`, options.returnTo ? { returnTo: options.returnTo } : {});
    if (response.statusCode !== 200) throw new Error(`start failed: ${response.statusCode} ${response.body}`);
    return response.json().authorizationUrl as string;
  }

  /** Posts the provider's answer (the callback URL's query) as the admin app does. */
  callback(provider: string, back: URL | string): Promise<LightMyRequestResponse> {
    const params = typeof back === "string" ? back : back.search.slice(1);
    return this.request("POST", `/v1/auth/sso/${provider}/callback`, { params });
  }

  sessionCookie(response: LightMyRequestResponse): string {
    return sessionCookieFrom(response);
  }
}

/** A whole sign-in with the test OIDC provider as `sub`; answers the callback's response. */
export async function signInWithOidc(browser: Browser, op: OidcTestProvider, sub: string, options: { link?: boolean } = {}) {
  const url = await browser.start("keycloak", options);
  return browser.callback("keycloak", await op.authorize(url, sub));
}
