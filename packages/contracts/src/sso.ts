/**
 * Signing in with an identity provider (Google, GitHub, OpenID Connect) and the user's
 * linked sign-in methods. The browser leaves for the provider with the URL `start`
 * answers, comes back to the admin app's /auth/callback/<provider>, which posts the
 * provider's answer (the callback URL's query) to `callback`.
 */
import { z } from "zod";
import { nullableTimestamp, timestamp, uuid } from "./common";
import { authProviders } from "./enums";
import { sessionResponseSchema } from "./auth";

export const ssoProviderKinds = ["google", "github", "oidc"] as const;

export const ssoProviderSchema = z
  .object({
    id: z.string().describe('What the URLs call it: "google", "github", or the operator\'s name for an OpenID Connect provider.'),
    name: z.string().describe('The button label: "Continue with <name>".'),
    kind: z.enum(ssoProviderKinds),
  })
  .describe("SignInProvider");

export const authProvidersResponseSchema = z.object({
  /** Whether e-mail + password sign-in (and sign-up) is available. */
  password: z.boolean(),
  providers: z.array(ssoProviderSchema),
});
export type AuthProvidersResponse = z.infer<typeof authProvidersResponseSchema>;

/** Loose on purpose: an unknown name gets a 404 that names the configured providers. */
export const ssoProviderParamsSchema = z.object({ provider: z.string().min(1).max(64) });

/** A path inside the admin app ("/w/…/bots"), never another site ("//evil.example"). */
export const returnPathSchema = z
  .string()
  .max(512)
  .regex(/^\/(?![/\\])[^\s\\]*$/, "must be a path inside the app, starting with one /");

export const ssoStartBodySchema = z.strictObject({ returnTo: returnPathSchema.optional() });

export const ssoStartResponseSchema = z.object({
  authorizationUrl: z.string().describe("Send the browser here (a top-level navigation)."),
});

export const ssoCallbackBodySchema = z.strictObject({
  params: z
    .string()
    .max(8192)
    .describe("The query string the provider sent the browser back with (code, state, iss; or error, error_description)."),
});

export const ssoCallbackResponseSchema = sessionResponseSchema.extend({
  result: z.enum(["signed_in", "linked"]).describe("signed_in: a session was started; linked: the login was added to the signed-in account."),
  created: z.boolean().describe("The sign-in created the account."),
  provider: ssoProviderSchema,
  returnTo: z.string().nullable(),
});

export const pendingLinkSchema = z
  .object({
    provider: ssoProviderSchema.pick({ id: true, name: true }),
    email: z.string(),
  })
  .describe("A provider login waiting, in this browser, to be linked to the account with its address.");

export const authMethodSchema = z
  .object({
    id: uuid,
    provider: z.enum(authProviders),
    providerId: z.string().describe('"email" for the password, else the provider id.'),
    name: z.string().describe('"Password", or the provider\'s name.'),
    email: z.string().nullable().describe("The address the provider gave (the account's for the password)."),
    usable: z.boolean().describe("It can sign in under the server's current settings."),
    removable: z.boolean().describe("False for the last usable method: an account always keeps a way in."),
    createdAt: timestamp,
    lastUsedAt: nullableTimestamp,
  })
  .describe("SignInMethod");
export type AuthMethodDto = z.infer<typeof authMethodSchema>;

export const authMethodParamsSchema = z.object({ methodId: uuid });
