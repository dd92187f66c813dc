/**
 * /v1/auth/providers, /v1/auth/sso/* and /v1/auth/methods: signing in with Google, GitHub
 * or an OpenID Connect provider, linking such logins to the signed-in account, and the
 * account's sign-in methods. The browser-facing steps are rate-limited per client address
 * like the other sign-in routes.
 */
import {
  authMethodParamsSchema,
  authMethodSchema,
  authProvidersResponseSchema,
  type AuthMethodDto,
  listOf,
  noContent,
  pendingLinkSchema,
  ssoCallbackBodySchema,
  ssoCallbackResponseSchema,
  ssoProviderParamsSchema,
  ssoStartBodySchema,
  ssoStartResponseSchema,
} from "@docent/contracts";
import { type BrowserBinding, requireSession } from "@docent/http-kit/auth";
import { ForbiddenError } from "@docent/service-kit/errors";
import { clientAddressKey } from "@docent/http-kit/rate-limit";
import type { RouteContext } from "../context";
import { userDto } from "../dto";
import type { MethodView } from "../services/sso-service";

const tags = ["auth"];

const methodDto = (view: MethodView): AuthMethodDto => ({
  id: view.method.id,
  provider: view.method.provider,
  providerId: view.providerId,
  name: view.displayName,
  email: view.method.provider === "email" ? view.method.providerAccountId : view.method.email,
  usable: view.usable,
  removable: view.removable,
  createdAt: view.method.createdAt.toISOString(),
  lastUsedAt: view.method.lastUsedAt?.toISOString() ?? null,
});

export function registerSsoRoutes({ app, env, services, sessions }: RouteContext, binding: BrowserBinding) {
  const perIpLimit = { max: env.LOGIN_RATE_LIMIT_PER_IP, timeWindow: env.LOGIN_RATE_LIMIT_WINDOW_MS, keyGenerator: clientAddressKey };

  app.get(
    "/v1/auth/providers",
    {
      config: { auth: { kind: "public" } },
      schema: {
        operationId: "listSignInProviders",
        summary: "How people can sign in here: password (on or off) and the identity providers the operator configured",
        tags,
        response: { 200: authProvidersResponseSchema },
      },
    },
    async () => ({ password: env.AUTH_PASSWORD_ENABLED, providers: services.sso.list() }),
  );

  app.post(
    "/v1/auth/sso/:provider/start",
    {
      config: { auth: { kind: "public" }, rateLimit: perIpLimit },
      schema: {
        operationId: "startSsoSignIn",
        summary: "Begin signing in with an identity provider: answers the URL to send the browser to",
        description:
          "Stores the pending sign-in (PKCE verifier, nonce, return path) server-side for 10 minutes under a fresh " +
          "`state`, bound to this browser by a short-lived cookie. 503 when the provider cannot be reached.",
        tags,
        params: ssoProviderParamsSchema,
        body: ssoStartBodySchema,
        response: { 200: ssoStartResponseSchema },
      },
    },
    async (request, reply) => {
      const via = services.sso.provider(request.params.provider);
      const authorizationUrl = await services.sso.start({
        providerId: via.id,
        binding: binding.ensure(request, reply),
        returnTo: request.body.returnTo ?? null,
      });
      return { authorizationUrl };
    },
  );

  app.post(
    "/v1/auth/sso/:provider/link",
    {
      config: { auth: { kind: "session" } },
      schema: {
        operationId: "startSsoLink",
        summary: "Begin linking a login at an identity provider to the signed-in account: answers the URL to send the browser to",
        tags,
        params: ssoProviderParamsSchema,
        body: ssoStartBodySchema,
        response: { 200: ssoStartResponseSchema },
      },
    },
    async (request, reply) => {
      const identity = requireSession(request);
      const via = services.sso.provider(request.params.provider);
      const authorizationUrl = await services.sso.start({
        providerId: via.id,
        binding: binding.ensure(request, reply),
        returnTo: request.body.returnTo ?? null,
        linkUserId: identity.userId,
      });
      return { authorizationUrl };
    },
  );

  app.post(
    "/v1/auth/sso/:provider/callback",
    {
      config: { auth: { kind: "public" }, rateLimit: perIpLimit },
      schema: {
        operationId: "completeSsoSignIn",
        summary: "Finish a provider sign-in (or link) with the answer the provider sent the browser back with",
        description:
          "Checks the state (single use, this browser's), redeems the code with the PKCE verifier and validates the " +
          "ID token (issuer, audience, expiry, nonce, signature). A first sign-in with a verified address creates the " +
          "account; an address that already has an account answers 409 SSO_LINK_REQUIRED, and the login waits for " +
          "the account's owner to sign in and confirm (see /v1/auth/sso/pending-link).",
        tags,
        params: ssoProviderParamsSchema,
        body: ssoCallbackBodySchema,
        response: { 200: ssoCallbackResponseSchema },
      },
    },
    async (request, reply) => {
      const browser = binding.read(request);
      // Keeps the cookie alive for a login that ends up waiting to be linked.
      if (browser) binding.ensure(request, reply);
      // A suspended account's leftover cookie must not stop someone else signing in here.
      const session = await sessions.identify(request).catch((error: unknown) => {
        if (error instanceof ForbiddenError) return null;
        throw error;
      });
      const outcome = await services.sso.complete({
        providerId: request.params.provider,
        params: request.body.params,
        binding: browser,
        sessionUserId: session?.userId ?? null,
      });
      const csrfToken = outcome.result === "signed_in" ? (await sessions.start(request, reply, outcome.user.id)).csrfToken : session!.csrfToken;
      return {
        result: outcome.result,
        created: outcome.result === "signed_in" && outcome.created,
        provider: { id: outcome.provider.id, name: outcome.provider.displayName, kind: outcome.provider.kind },
        returnTo: outcome.returnTo,
        user: userDto(outcome.user),
        workspaces: await services.auth.workspacesOf(outcome.user.id),
        csrfToken,
      };
    },
  );

  app.get(
    "/v1/auth/sso/pending-link",
    {
      config: { auth: { kind: "session" } },
      schema: {
        operationId: "getPendingSsoLink",
        summary: "The provider login waiting in this browser to be linked to the account with its address (404 when none)",
        tags,
        response: { 200: pendingLinkSchema },
      },
    },
    async (request) => services.sso.pendingLink(binding.read(request)),
  );

  app.post(
    "/v1/auth/sso/pending-link",
    {
      config: { auth: { kind: "session" } },
      schema: {
        operationId: "confirmPendingSsoLink",
        summary: "Link the waiting provider login to the signed-in account (its address must be the account's); answers the account's methods",
        tags,
        response: { 200: listOf(authMethodSchema) },
      },
    },
    async (request) => {
      const { userId } = requireSession(request);
      await services.sso.confirmLink(binding.read(request), userId);
      return { items: (await services.sso.methods(userId)).map(methodDto) };
    },
  );

  app.delete(
    "/v1/auth/sso/pending-link",
    {
      config: { auth: { kind: "session" } },
      schema: { operationId: "discardPendingSsoLink", summary: "Do not link the waiting provider login", tags, response: { 204: noContent } },
    },
    async (request, reply) => {
      await services.sso.dropPendingLink(binding.read(request));
      return reply.status(204).send();
    },
  );

  app.get(
    "/v1/auth/methods",
    {
      config: { auth: { kind: "session" } },
      schema: {
        operationId: "listSignInMethods",
        summary: "The signed-in user's ways to sign in: password and linked provider logins",
        tags,
        response: { 200: listOf(authMethodSchema) },
      },
    },
    async (request) => ({ items: (await services.sso.methods(requireSession(request).userId)).map(methodDto) }),
  );

  app.delete(
    "/v1/auth/methods/:methodId",
    {
      config: { auth: { kind: "session" } },
      schema: {
        operationId: "removeSignInMethod",
        summary: "Unlink a provider login or remove the password; the last usable method cannot be removed (409)",
        tags,
        params: authMethodParamsSchema,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await services.sso.unlink(requireSession(request).userId, request.params.methodId);
      return reply.status(204).send();
    },
  );
}
