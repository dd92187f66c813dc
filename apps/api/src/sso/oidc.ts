/**
 * An OpenID Connect provider (Keycloak, Authentik, Okta, Entra ID, Google...) through
 * openid-client: discovery from the issuer, authorization-code flow with PKCE (S256),
 * `state` and `nonce`, and ID-token validation: issuer, audience, expiry, nonce, and the
 * signature against the provider's JWKS (non-repudiation checks on, so a token is checked
 * even though it came straight from the token endpoint). The JWKS is cached per discovery
 * and fetched again when a token names a key it does not hold (at most once a minute) or
 * after five minutes: a provider can rotate its keys.
 *
 * Discovery happens on first use and is kept for an hour; a failed one is not kept, so a
 * provider that was down is tried again on the next sign-in.
 */
import * as oidc from "openid-client";
import { z } from "zod";
import type { OidcProviderConfig } from "./config";
import type { ProviderFetch } from "./provider-fetch";
import type { AuthorizationRequest, CallbackInput, IdentityProvider, ProviderIdentity } from "./types";

const DISCOVERY_TTL_MS = 3600_000;
const emailSchema = z.email().max(320);

function clientAuth(config: OidcProviderConfig): oidc.ClientAuth {
  switch (config.clientAuth) {
    case "client_secret_post":
      return oidc.ClientSecretPost(config.clientSecret);
    case "none":
      return oidc.None();
    default:
      return oidc.ClientSecretBasic(config.clientSecret);
  }
}

/** `email_verified` as providers send it: a boolean, or (Cognito) the string "true". */
const asVerified = (value: unknown): boolean | undefined =>
  value === true || value === "true" ? true : value === false || value === "false" ? false : undefined;

const asText = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

export function createOidcProvider(config: OidcProviderConfig, deps: { fetch: ProviderFetch; timeoutMs: number }): IdentityProvider {
  let discovered: { at: number; configuration: Promise<oidc.Configuration> } | null = null;
  const insecure = new URL(config.issuer).protocol === "http:";

  function configuration(): Promise<oidc.Configuration> {
    if (discovered && Date.now() - discovered.at < DISCOVERY_TTL_MS) return discovered.configuration;
    const pending = oidc.discovery(new URL(config.issuer), config.clientId, undefined, clientAuth(config), {
      [oidc.customFetch]: deps.fetch as oidc.CustomFetch,
      timeout: Math.ceil(deps.timeoutMs / 1000),
      execute: [oidc.enableNonRepudiationChecks, ...(insecure ? [oidc.allowInsecureRequests] : [])],
    });
    const entry = { at: Date.now(), configuration: pending };
    discovered = entry;
    pending.catch(() => {
      if (discovered === entry) discovered = null;
    });
    return pending;
  }

  return {
    id: config.id,
    kind: config.kind,
    displayName: config.displayName,

    async authorizationUrl(request: AuthorizationRequest): Promise<URL> {
      const server = await configuration();
      return oidc.buildAuthorizationUrl(server, {
        redirect_uri: request.redirectUri,
        scope: config.scopes,
        state: request.state,
        nonce: request.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(request.codeVerifier),
        code_challenge_method: "S256",
      });
    },

    async finish(input: CallbackInput): Promise<ProviderIdentity> {
      const server = await configuration();
      const tokens = await oidc.authorizationCodeGrant(server, input.callbackUrl, {
        pkceCodeVerifier: input.codeVerifier,
        expectedState: input.state,
        expectedNonce: input.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      let email = asText(claims.email);
      let verified = asVerified(claims.email_verified);
      let name = asText(claims.name);
      // Many providers put only `sub` in the ID token and the rest behind userinfo.
      if ((email === undefined || verified === undefined || name === undefined) && server.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(server, tokens.access_token, claims.sub);
        email ??= asText(info.email);
        verified ??= asVerified(info.email_verified);
        name ??= asText(info.name) ?? asText(info.preferred_username);
      }
      const validEmail = email !== undefined && emailSchema.safeParse(email).success ? email.toLowerCase() : null;
      return {
        provider: config.kind,
        providerName: config.kind === "oidc" ? config.id : null,
        issuer: claims.iss,
        subject: claims.sub,
        email: validEmail,
        // Trusting a provider's addresses covers a missing claim, never an explicit "not verified".
        emailVerified: validEmail !== null && (verified === true || (config.trustEmail && verified === undefined)),
        name: name ?? null,
      };
    },
  };
}
