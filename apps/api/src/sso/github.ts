/**
 * GitHub's OAuth 2 (an OAuth app; GitHub is not an OpenID Connect provider, so there is
 * no ID token): openid-client drives the authorization-code flow with `state` and PKCE
 * against GitHub's endpoints, then the REST API says who signed in: `GET /user` for the
 * stable numeric id and name, `GET /user/emails` for the addresses GitHub verified. The
 * account's primary address is used, and counts as verified only if GitHub says so.
 *
 * GitHub's token endpoint answers errors with 200 and an `error` field; the fetch here
 * turns those into the 400 the OAuth spec (and openid-client) expect, so a used or
 * expired code is refused with GitHub's own explanation.
 */
import * as oidc from "openid-client";
import { z } from "zod";
import type { GithubProviderConfig } from "./config";
import type { ProviderFetch } from "./provider-fetch";
import type { AuthorizationRequest, CallbackInput, IdentityProvider, ProviderIdentity } from "./types";

const SCOPES = "read:user user:email";

const userSchema = z.object({ id: z.number().int(), login: z.string(), name: z.string().nullish() });
const emailsSchema = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));
const emailSchema = z.email().max(320);

export function createGithubProvider(config: GithubProviderConfig, deps: { fetch: ProviderFetch; timeoutMs: number }): IdentityProvider {
  const tokenEndpoint = `${config.webUrl}/login/oauth/access_token`;
  const server = new oidc.Configuration(
    {
      issuer: config.webUrl,
      authorization_endpoint: `${config.webUrl}/login/oauth/authorize`,
      token_endpoint: tokenEndpoint,
    },
    config.clientId,
    config.clientSecret,
    oidc.ClientSecretPost(config.clientSecret),
  );
  server.timeout = Math.ceil(deps.timeoutMs / 1000);
  server[oidc.customFetch] = (async (url: string, init: RequestInit) => {
    const response = await deps.fetch(url, init);
    if (url !== tokenEndpoint || response.status !== 200) return response;
    const body = await response.text();
    let error = false;
    try {
      error = typeof (JSON.parse(body) as { error?: unknown }).error === "string";
    } catch {
      /* not JSON: openid-client reports it */
    }
    return new Response(body, { status: error ? 400 : 200, headers: response.headers });
  }) as oidc.CustomFetch;
  if (new URL(config.webUrl).protocol === "http:" || new URL(config.apiUrl).protocol === "http:") oidc.allowInsecureRequests(server);

  async function api<T>(accessToken: string, path: string, schema: z.ZodType<T>): Promise<T | null> {
    const headers = new Headers({ accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" });
    const response = await oidc.fetchProtectedResource(server, accessToken, new URL(`${config.apiUrl}${path}`), "GET", undefined, headers);
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    const parsed = schema.safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  }

  return {
    id: config.id,
    kind: "github",
    displayName: config.displayName,

    async authorizationUrl(request: AuthorizationRequest): Promise<URL> {
      return oidc.buildAuthorizationUrl(server, {
        redirect_uri: request.redirectUri,
        scope: SCOPES,
        state: request.state,
        code_challenge: await oidc.calculatePKCECodeChallenge(request.codeVerifier),
        code_challenge_method: "S256",
      });
    },

    async finish(input: CallbackInput): Promise<ProviderIdentity> {
      const tokens = await oidc.authorizationCodeGrant(server, input.callbackUrl, {
        pkceCodeVerifier: input.codeVerifier,
        expectedState: input.state,
      });
      const user = await api(tokens.access_token, "/user", userSchema);
      if (!user) throw new Error("GitHub's /user answered without the account's id");
      // Without the user:email scope (or with the list unavailable) nothing is verified.
      const emails = (await api(tokens.access_token, "/user/emails", emailsSchema)) ?? [];
      const primary = emails.find((e) => e.primary) ?? null;
      const email = primary && emailSchema.safeParse(primary.email).success ? primary.email.toLowerCase() : null;
      return {
        provider: "github",
        providerName: null,
        issuer: null,
        subject: String(user.id),
        email,
        emailVerified: email !== null && primary!.verified,
        name: user.name?.trim() || user.login,
      };
    },
  };
}
