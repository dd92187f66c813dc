/**
 * Single sign-on refusals, each with its own `error` code and a message a person can act
 * on, and the translation of what openid-client raises (claims that do not match, a
 * token endpoint that said no, a provider that is down) into them.
 */
import * as oidc from "openid-client";
import {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
} from "@docent/service-kit/errors";
import { ProviderUnavailableError } from "./provider-fetch";

/** Seconds a browser is asked to wait before trying a provider that is down again. */
export const PROVIDER_RETRY_AFTER_SECONDS = 30;

export const ssoErrors = {
  unknownProvider: (name: string, configured: string[]) =>
    new NotFoundError("Sign-in provider", {
      code: "SSO_UNKNOWN_PROVIDER",
      details: { provider: name, configured },
    }),
  noPendingLogin: () =>
    new BadRequestError(
      "This sign-in was not started from this page, was already completed, or took longer than 10 minutes: start it again",
      { code: "SSO_NO_PENDING_LOGIN" },
    ),
  missingState: () => new BadRequestError("The provider's answer has no state parameter: start the sign-in again", { code: "SSO_NO_PENDING_LOGIN" }),
  otherBrowser: () =>
    new BadRequestError("This sign-in was started in another browser (or this browser's cookies were cleared): start it again here", {
      code: "SSO_OTHER_BROWSER",
    }),
  wrongProvider: (expected: string) =>
    new BadRequestError(`This sign-in was started with ${expected}, not with the provider that answered: start it again`, {
      code: "SSO_NO_PENDING_LOGIN",
    }),
  noEmail: (provider: string) =>
    new BadRequestError(
      `${provider} did not share an e-mail address with Docent, so no account can be created. Give your ${provider} account an address (and allow Docent to read it), then try again`,
      { code: "SSO_NO_EMAIL" },
    ),
  emailNotVerified: (provider: string, email: string) =>
    new ForbiddenError(`${provider} says ${email} is not verified. Verify the address with ${provider}, then sign in again`, {
      code: "SSO_EMAIL_NOT_VERIFIED",
    }),
  domainNotAllowed: (email: string, domains: string[]) =>
    new ForbiddenError(`Sign-in is limited to addresses at ${domains.join(", ")} on this server; ${email} is not one of them`, {
      code: "EMAIL_DOMAIN_NOT_ALLOWED",
      details: { allowedDomains: domains },
    }),
  linkRequired: (provider: string, email: string) =>
    new ConflictError(
      `An account with ${email} already exists. Sign in to it the way you usually do, and you will be asked to confirm linking your ${provider} login to it`,
      { code: "SSO_LINK_REQUIRED", details: { email, provider } },
    ),
  identityInUse: (provider: string) =>
    new ConflictError(`This ${provider} login is already linked to another Docent account; unlink it there first`, { code: "SSO_IDENTITY_IN_USE" }),
  providerAlreadyLinked: (provider: string) =>
    new ConflictError(`Your account already has a ${provider} login linked; unlink it before linking another`, { code: "SSO_PROVIDER_ALREADY_LINKED" }),
  linkSessionChanged: () =>
    new ForbiddenError("You are no longer signed in as the account that started linking this login: sign in to it and start again", {
      code: "SSO_LINK_SESSION_CHANGED",
    }),
  linkForAnotherAccount: (provider: string, email: string, signedInAs: string) =>
    new ForbiddenError(`This ${provider} login is for ${email}, but you are signed in as ${signedInAs}: sign in to ${email} to link it`, {
      code: "SSO_LINK_OTHER_ACCOUNT",
    }),
  noPendingLink: () => new NotFoundError("Login waiting to be linked", { code: "SSO_NO_PENDING_LINK" }),
  passwordDisabled: () =>
    new ForbiddenError("Password sign-in is turned off on this server: continue with one of the identity providers instead", {
      code: "PASSWORD_SIGNIN_DISABLED",
    }),
  lastMethod: () =>
    new ConflictError("This is the last way you can sign in to your account: link another one before removing it", { code: "LAST_SIGN_IN_METHOD" }),
};

const idTokenInvalid = (message: string) => new BadRequestError(message, { code: "SSO_ID_TOKEN_INVALID" });

function find<T>(error: unknown, match: (e: unknown) => e is T): T | undefined {
  for (let current = error, depth = 0; current && depth < 8; depth++) {
    if (match(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const isUnavailable = (e: unknown): e is ProviderUnavailableError => e instanceof ProviderUnavailableError;
const isClientError = (e: unknown): e is oidc.ClientError => e instanceof oidc.ClientError;

/** What to tell the browser when a request to `provider` (its display name) failed. */
export function providerFailure(provider: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const unavailable = find(error, isUnavailable);
  const clientError = find(error, isClientError);
  if (unavailable || clientError?.code === "OAUTH_TIMEOUT" || clientError?.code === "OAUTH_ABORT") {
    return new ServiceUnavailableError(
      `${provider} cannot be reached right now (${unavailable?.reason ?? "no answer in time"}); try again in a moment, or sign in another way`,
      { code: "SSO_PROVIDER_UNAVAILABLE", headers: { "retry-after": String(PROVIDER_RETRY_AFTER_SECONDS) }, details: { retryAfterSeconds: PROVIDER_RETRY_AFTER_SECONDS } },
    );
  }
  if (error instanceof oidc.AuthorizationResponseError) {
    const cancelled = error.error === "access_denied";
    return new BadRequestError(
      cancelled
        ? `The sign-in was cancelled at ${provider}${error.error_description ? ` (${error.error_description})` : ""}`
        : `${provider} did not sign you in: ${error.error}${error.error_description ? ` (${error.error_description})` : ""}`,
      { code: "SSO_DENIED", details: { providerError: error.error } },
    );
  }
  if (error instanceof oidc.ResponseBodyError) {
    return new BadRequestError(
      `${provider} refused the authorization code (${error.error}${error.error_description ? `: ${error.error_description}` : ""}). A code works once and only for a short time: start the sign-in again`,
      { code: "SSO_CODE_REJECTED", details: { providerError: error.error } },
    );
  }
  if (clientError) {
    // openid-client wraps oauth4webapi's error, whose `cause` says which claim failed.
    const inner = clientError.cause instanceof Error ? clientError.cause : undefined;
    const claim = (inner?.cause as { claim?: string } | undefined)?.claim;
    const innerMessage = inner?.message ?? "";
    switch (clientError.code) {
      case "OAUTH_JWT_CLAIM_COMPARISON_FAILED":
        if (claim === "nonce") {
          return idTokenInvalid(
            `The ID token from ${provider} does not carry this sign-in's nonce: it belongs to another sign-in (replayed or injected). Start the sign-in again`,
          );
        }
        if (claim === "iss") return idTokenInvalid(`The ID token was not issued by ${provider}'s configured issuer`);
        if (claim === "aud" || claim === "azp") return idTokenInvalid(`The ID token from ${provider} was issued to another application`);
        return idTokenInvalid(`The ID token from ${provider} has an unexpected "${claim ?? "?"}" claim`);
      case "OAUTH_JWT_TIMESTAMP_CHECK_FAILED":
        return idTokenInvalid(
          `The ID token from ${provider} has expired or is not valid yet (check that the clocks of Docent's server and ${provider} agree). Start the sign-in again`,
        );
      case "OAUTH_KEY_SELECTION_FAILED":
        return idTokenInvalid(`The ID token from ${provider} is signed with a key ${provider} does not publish`);
      case "OAUTH_INVALID_RESPONSE":
        if (/signature verification failed/i.test(innerMessage)) {
          return idTokenInvalid(`The ID token's signature does not verify with ${provider}'s published keys`);
        }
        if (/"iss" \(issuer\)/.test(innerMessage)) {
          // RFC 9207: the answer names another issuer (or none where one is required): a mix-up.
          return new BadRequestError(`The answer did not come from ${provider}'s issuer (another provider answered): start the sign-in again`, {
            code: "SSO_DENIED",
          });
        }
        break;
    }
  }
  return new AppError(
    `${provider} answered in a way Docent cannot use (${clientError?.message ?? (error as Error)?.message ?? "unknown error"}); try again, or ask the operator to check the provider's settings`,
    { code: "SSO_PROVIDER_ERROR", expose: true, cause: error },
  );
}
