/**
 * /v1/auth: sign-up with e-mail verification, login (rate-limited per IP and per account),
 * logout, me, password change and reset. The routes anyone may call are limited per client
 * address, and mail to one address is capped per hour.
 */
import {
  changePasswordBodySchema,
  loginBodySchema,
  mailSentResponseSchema,
  noContent,
  passwordResetBodySchema,
  passwordResetRequestBodySchema,
  sessionResponseSchema,
  signupBodySchema,
  verifyEmailBodySchema,
} from "@docent/contracts";
import { requireSession } from "@docent/http-kit/auth";
import { clientAddressKey } from "@docent/http-kit/rate-limit";
import { userDto } from "../dto";
import type { RouteContext } from "../context";
import { InvalidCredentialsError } from "../services/auth-service";
import { RateLimitedError } from "@docent/service-kit/errors";

const tooManyMails = () => new RateLimitedError(3600, "Too many mails to this address; try again in an hour");

const tags = ["auth"];

export function registerAuthRoutes({ app, env, services, sessions, loginFailures, mailQuota }: RouteContext) {
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
        summary: "Start an account: mails a confirmation link (the account is created when it is followed)",
        description:
          "Answers 202 whatever the address: a new address gets a confirmation link, one that already has an " +
          "account gets a notice saying so. Following the link (POST /v1/auth/verify-email) creates the account " +
          "with a personal workspace and signs in.",
        tags,
        body: signupBodySchema,
        response: { 202: mailSentResponseSchema },
      },
    },
    async (request, reply) => {
      await services.auth.signup(request.body, await mailQuota(request, request.body.email));
      return reply.status(202).send({ message: `If ${request.body.email} can receive mail, a link to continue is on its way.` });
    },
  );

  app.post(
    "/v1/auth/verify-email",
    {
      config: { auth: { kind: "public" }, rateLimit: perIpLimit },
      schema: {
        operationId: "verifyEmail",
        summary: "Follow a confirmation link with the account's password: creates the account (sign-up) or verifies the address, and signs in",
        tags,
        body: verifyEmailBodySchema,
        response: { 200: sessionResponseSchema },
      },
    },
    async (request, reply) => {
      const user = await services.auth.verifyEmail(request.body);
      const { csrfToken } = await sessions.start(request, reply, user.id);
      return { user: userDto(user), workspaces: await services.auth.workspacesOf(user.id), csrfToken };
    },
  );

  app.post(
    "/v1/auth/verify-email/send",
    {
      config: { auth: { kind: "session" } },
      schema: {
        operationId: "sendVerificationEmail",
        summary: "Mail the signed-in user a link that verifies their address",
        tags,
        response: { 202: mailSentResponseSchema },
      },
    },
    async (request, reply) => {
      const identity = requireSession(request);
      if (!(await mailQuota(request, identity.email))) throw tooManyMails();
      const outcome = await services.auth.sendVerification(identity.userId);
      return reply.status(202).send({
        message: outcome === "sent" ? `A verification link is on its way to ${identity.email}.` : "Your address is already verified.",
      });
    },
  );

  app.post(
    "/v1/auth/password-reset",
    {
      config: { auth: { kind: "public" }, rateLimit: perIpLimit },
      schema: {
        operationId: "requestPasswordReset",
        summary: "Mail a password-reset link; answers the same whether or not the address has an account",
        tags,
        body: passwordResetRequestBodySchema,
        response: { 202: mailSentResponseSchema },
      },
    },
    async (request, reply) => {
      await services.auth.requestPasswordReset(request.body.email, await mailQuota(request, request.body.email));
      return reply.status(202).send({ message: `If ${request.body.email} has an account, a link to reset its password is on its way.` });
    },
  );

  app.post(
    "/v1/auth/password-reset/confirm",
    {
      config: { auth: { kind: "public" }, rateLimit: perIpLimit },
      schema: {
        operationId: "resetPassword",
        summary: "Set a new password with a reset link; every session of the account is signed out",
        tags,
        body: passwordResetBodySchema,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await services.auth.resetPassword(request.body);
      return reply.status(204).send();
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
