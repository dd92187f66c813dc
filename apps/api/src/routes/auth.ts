/** /v1/auth: sign-up, login (rate-limited per IP and per account), logout, me, password. */
import {
  changePasswordBodySchema,
  loginBodySchema,
  noContent,
  sessionResponseSchema,
  signupBodySchema,
  errorResponseSchema,
} from "@docent/contracts";
import { requireSession } from "@docent/service-kit/auth";
import { clientAddressKey } from "@docent/service-kit/rate-limit";
import { userDto } from "../dto";
import type { RouteContext } from "../context";
import { InvalidCredentialsError } from "../services/auth-service";

const tags = ["auth"];

export function registerAuthRoutes({ app, env, services, sessions, loginFailures }: RouteContext) {
  // Keyed by the client's address alone: these routes authenticate nobody, so nothing in
  // the request (an Authorization header, say) may choose the bucket.
  const perIpLimit = {
    max: env.LOGIN_RATE_LIMIT_PER_IP,
    timeWindow: env.LOGIN_RATE_LIMIT_WINDOW_MS,
    keyGenerator: clientAddressKey,
  };

  app.post(
    "/v1/auth/signup",
    {
      config: { auth: { kind: "public" }, rateLimit: perIpLimit },
      schema: {
        operationId: "signup",
        summary: "Create an account (with a personal workspace on the Free plan) and sign in",
        tags,
        body: signupBodySchema,
        response: { 201: sessionResponseSchema, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const user = await services.auth.signup(request.body);
      const { csrfToken } = await sessions.start(request, reply, user.id);
      return reply.status(201).send({ user: userDto(user), workspaces: await services.auth.workspacesOf(user.id), csrfToken });
    },
  );

  app.post(
    "/v1/auth/login",
    {
      config: { auth: { kind: "public" }, rateLimit: perIpLimit },
      schema: {
        operationId: "login",
        summary: "Sign in with e-mail and password; sets the session cookie",
        tags,
        body: loginBodySchema,
        response: { 200: sessionResponseSchema },
      },
    },
    async (request, reply) => {
      const account = request.body.email;
      await loginFailures.check(request, account);
      try {
        const user = await services.auth.login(request.body);
        const { csrfToken } = await sessions.start(request, reply, user.id);
        return { user: userDto(user), workspaces: await services.auth.workspacesOf(user.id), csrfToken };
      } catch (error) {
        if (error instanceof InvalidCredentialsError) await loginFailures.fail(request, account);
        throw error;
      }
    },
  );

  app.post(
    "/v1/auth/logout",
    {
      config: { auth: { kind: "session" } },
      schema: { operationId: "logout", summary: "End the current session", tags, response: { 204: noContent } },
    },
    async (request, reply) => {
      await sessions.end(reply, requireSession(request));
      return reply.status(204).send();
    },
  );

  app.get(
    "/v1/auth/me",
    {
      config: { auth: { kind: "session" } },
      schema: {
        operationId: "getCurrentUser",
        summary: "The signed-in user, their workspaces and the CSRF token",
        tags,
        response: { 200: sessionResponseSchema },
      },
    },
    async (request) => {
      const identity = requireSession(request);
      const user = await services.auth.getUser(identity.userId);
      return { user: userDto(user), workspaces: await services.auth.workspacesOf(user.id), csrfToken: identity.csrfToken };
    },
  );

  app.post(
    "/v1/auth/password",
    {
      config: { auth: { kind: "session" } },
      schema: {
        operationId: "changePassword",
        summary: "Change the password; every other session is signed out",
        tags,
        body: changePasswordBodySchema,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const identity = requireSession(request);
      await services.auth.changePassword({ userId: identity.userId, sessionId: identity.sessionId, ...request.body });
      return reply.status(204).send();
    },
  );
}
