/** What every identity provider client offers the sign-in service, and what it returns. */

/** Who the provider says signed in. */
export interface ProviderIdentity {
  provider: "google" | "github" | "oidc";
  /** `oidc` only: the configured provider name. */
  providerName: string | null;
  /** OpenID Connect: the ID token's `iss`; null for GitHub. */
  issuer: string | null;
  /** The provider's stable account id (`sub`, GitHub's numeric id). */
  subject: string;
  /** Lower-cased; null when the provider gave none (or not a well-formed one). */
  email: string | null;
  /** The provider asserts the address belongs to this account. */
  emailVerified: boolean;
  name: string | null;
}

export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface CallbackInput {
  /** The redirect URI with the provider's answer in its query (code, state, iss or error). */
  callbackUrl: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface IdentityProvider {
  /** URL name: "google", "github", "keycloak". */
  id: string;
  kind: ProviderIdentity["provider"];
  displayName: string;
  /** Where to send the browser; may fetch discovery (throws when the provider is down). */
  authorizationUrl(request: AuthorizationRequest): Promise<URL>;
  /** Validates the answer, redeems the code, and says who signed in. */
  finish(input: CallbackInput): Promise<ProviderIdentity>;
}
