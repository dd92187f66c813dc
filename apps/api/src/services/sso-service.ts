/**
 * Signing in with an identity provider, and the account rules around it:
 *
 * - A provider login already linked to an account signs that account in.
 * - A first sign-in whose address the provider asserts verified, and that matches no
 *   account, creates one (verified, with its personal workspace, as sign-up does).
 * - One that matches an existing account does NOT sign in to it: nobody takes over a
 *   password account by holding a provider login with the same address. The login waits
 *   (ten minutes, in this browser) for the account's owner to sign in the usual way and
 *   confirm linking it.
 * - A signed-in user links more logins from their settings, and unlinks them; the last
 *   way to sign in cannot be removed.
 * - No address, an unverified address or a domain the operator did not allow creates
 *   nothing.
 */
import { sanitizeName } from "@docent/contracts/names";
import type { Database } from "@docent/db/client";
import {
  type AuthMethod,
  deleteAuthMethod,
  findMethodByProviderAccount,
  insertAuthMethod,
  listAuthMethods,
  touchAuthMethod,
} from "@docent/db/queries/auth-methods";
import { createUser, getUserByEmail, getUserById, updateUser, type User } from "@docent/db/queries/users";
import { createWorkspaceWithOwner } from "@docent/db/queries/workspaces";
import { ForbiddenError, NotFoundError, UnauthorizedError } from "@docent/service-kit/errors";
import type { Logger } from "@docent/http-kit/logger";
import * as oidc from "openid-client";
import { appLink } from "../mail/messages";
import { providerFailure, ssoErrors } from "../sso/errors";
import type { PendingStore } from "../sso/pending";
import type { IdentityProvider, ProviderIdentity } from "../sso/types";
import { isUniqueViolation, pgErrorCode } from "./db-errors";
import { assertEmailAllowed, type SignInPolicy } from "./sign-in-policy";
import { newSlug } from "./slugs";

export interface SsoServiceDeps {
  db: Database;
  providers: IdentityProvider[];
  pending: PendingStore;
  policy: SignInPolicy;
  /** PUBLIC_APP_URL: the redirect URIs are `<app>/auth/callback/<provider>`. */
  appUrl: string;
  logger: Logger;
}

export type SsoOutcome =
  | { result: "signed_in"; user: User; created: boolean; provider: IdentityProvider; returnTo: string | null }
  | { result: "linked"; user: User; provider: IdentityProvider; returnTo: string | null };

export interface MethodView {
  method: AuthMethod;
  /** "email" or the provider id. */
  providerId: string;
  displayName: string;
  /** It can sign in under the current configuration (its provider is configured; passwords are on). */
  usable: boolean;
  removable: boolean;
}

const suspended = () => new ForbiddenError("This account is suspended", { code: "ACCOUNT_SUSPENDED" });

export function createSsoService({ db, providers, pending, policy, appUrl, logger }: SsoServiceDeps) {
  const byId = new Map(providers.map((p) => [p.id, p]));
  const redirectUri = (provider: IdentityProvider) => appLink(appUrl, `/auth/callback/${provider.id}`);

  function provider(id: string): IdentityProvider {
    const found = byId.get(id);
    if (!found) throw ssoErrors.unknownProvider(id, [...byId.keys()]);
    return found;
  }

  /** The configured provider a stored method belongs to, if it is still configured. */
  function providerOf(method: AuthMethod): IdentityProvider | undefined {
    if (method.provider === "email") return undefined;
    return byId.get(method.provider === "oidc" ? method.providerName! : method.provider);
  }

  const usable = (method: AuthMethod) =>
    method.provider === "email" ? policy.passwordEnabled && method.passwordHash !== null : providerOf(method) !== undefined;

  async function touchSignIn(user: User, method: AuthMethod, identity: ProviderIdentity): Promise<User> {
    await touchAuthMethod(db, method.id, identity.email);
    return (await updateUser(db, user.id, { lastLoginAt: new Date() })) ?? user;
  }

  /** A new account for a verified address nobody has: user, login and personal workspace. */
  async function createAccount(identity: ProviderIdentity): Promise<User> {
    const name = identity.name ? sanitizeName(identity.name).slice(0, 255) || null : null;
    return db.transaction(async (tx) => {
      const user = await createUser(tx, { email: identity.email!, name, emailVerified: true });
      await insertAuthMethod(tx, { ...refOf(identity), userId: user.id, issuer: identity.issuer, email: identity.email });
      await createWorkspaceWithOwner(tx, { name: "Personal", slug: newSlug("personal"), ownerId: user.id, isPersonal: true });
      return (await updateUser(tx, user.id, { lastLoginAt: new Date() }))!;
    });
  }

  /** Links `identity` to `user`, or says why not. */
  async function link(user: User, identity: ProviderIdentity, via: IdentityProvider): Promise<void> {
    const existing = await findMethodByProviderAccount(db, refOf(identity));
    if (existing) {
      if (existing.user.id !== user.id) throw ssoErrors.identityInUse(via.displayName);
      await touchAuthMethod(db, existing.method.id, identity.email);
      return;
    }
    try {
      await insertAuthMethod(db, { ...refOf(identity), userId: user.id, issuer: identity.issuer, email: identity.email });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const again = await findMethodByProviderAccount(db, refOf(identity));
      if (again && again.user.id !== user.id) throw ssoErrors.identityInUse(via.displayName);
      if (!again) throw ssoErrors.providerAlreadyLinked(via.displayName);
    }
  }

  async function signIn(identity: ProviderIdentity, via: IdentityProvider, binding: string): Promise<{ user: User; created: boolean }> {
    const linked = await findMethodByProviderAccount(db, refOf(identity));
    if (linked) {
      if (linked.method.issuer && identity.issuer && linked.method.issuer !== identity.issuer) {
        throw new ForbiddenError(
          `This ${via.displayName} login was linked when ${via.displayName} had another issuer (${linked.method.issuer}); ask the operator, or sign in another way and link it again`,
          { code: "SSO_ISSUER_CHANGED" },
        );
      }
      if (linked.user.status === "SUSPENDED") throw suspended();
      assertEmailAllowed(policy, linked.user.email);
      return { user: await touchSignIn(linked.user, linked.method, identity), created: false };
    }
    if (!identity.email) throw ssoErrors.noEmail(via.displayName);
    if (!identity.emailVerified) throw ssoErrors.emailNotVerified(via.displayName, identity.email);
    assertEmailAllowed(policy, identity.email);
    const owner = await getUserByEmail(db, identity.email);
    if (owner) {
      await pending.saveLink(binding, { provider: via.id, identity });
      throw ssoErrors.linkRequired(via.displayName, identity.email);
    }
    try {
      return { user: await createAccount(identity), created: true };
    } catch (error) {
      // Another request created the account (or linked this login) meanwhile: decide again.
      if (!isUniqueViolation(error)) throw error;
      logger.info({ provider: via.id, constraint: pgErrorCode(error) }, "concurrent first sign-in; deciding again");
      return signIn(identity, via, binding);
    }
  }

  return {
    /** The providers for the sign-in page, in configuration order. */
    list: () => providers.map((p) => ({ id: p.id, name: p.displayName, kind: p.kind })),

    provider,

    /**
     * Where to send the browser to sign in (or, with `linkUserId`, to link a login):
     * stores the pending sign-in (verifier, nonce, return path) under a fresh `state`.
     */
    async start(input: { providerId: string; binding: string; returnTo: string | null; linkUserId?: string }): Promise<string> {
      const via = provider(input.providerId);
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      let url: URL;
      try {
        url = await via.authorizationUrl({ redirectUri: redirectUri(via), state, nonce, codeVerifier });
      } catch (error) {
        throw logged(via, error);
      }
      await pending.saveLogin(state, {
        provider: via.id,
        binding: input.binding,
        codeVerifier,
        nonce,
        intent: input.linkUserId ? "link" : "login",
        userId: input.linkUserId ?? null,
        returnTo: input.returnTo,
      });
      return url.href;
    },

    /**
     * The browser came back from the provider with `params` (the callback URL's query).
     * `binding` is this browser's binding hash; `sessionUserId` who is signed in here.
     */
    async complete(input: { providerId: string; params: string; binding: string | null; sessionUserId: string | null }): Promise<SsoOutcome> {
      const via = provider(input.providerId);
      const params = new URLSearchParams(input.params.replace(/^\?/, ""));
      const state = params.get("state");
      if (!state) throw ssoErrors.missingState();
      const started = await pending.takeLogin(state);
      if (!started) throw ssoErrors.noPendingLogin();
      if (started.provider !== via.id) throw ssoErrors.wrongProvider(provider(started.provider).displayName);
      if (!input.binding || input.binding !== started.binding) throw ssoErrors.otherBrowser();
      if (started.intent === "link" && started.userId !== input.sessionUserId) throw ssoErrors.linkSessionChanged();

      const callbackUrl = new URL(redirectUri(via));
      callbackUrl.search = params.toString();
      let identity: ProviderIdentity;
      try {
        identity = await via.finish({ callbackUrl, state, nonce: started.nonce, codeVerifier: started.codeVerifier });
      } catch (error) {
        throw logged(via, error);
      }

      if (started.intent === "link") {
        const user = await getUserById(db, started.userId!);
        if (!user) throw new UnauthorizedError();
        await link(user, identity, via);
        logger.info({ provider: via.id, userId: user.id }, "sign-in method linked");
        return { result: "linked", user, provider: via, returnTo: started.returnTo };
      }
      const { user, created } = await signIn(identity, via, started.binding);
      logger.info({ provider: via.id, userId: user.id, created }, "signed in with identity provider");
      return { result: "signed_in", user, created, provider: via, returnTo: started.returnTo };
    },

    /** The provider login waiting in this browser for its account's owner to confirm, if any. */
    async pendingLink(binding: string | null) {
      const waiting = binding ? await pending.peekLink(binding) : null;
      const via = waiting ? byId.get(waiting.provider) : undefined;
      if (!waiting || !via) throw ssoErrors.noPendingLink();
      return { provider: { id: via.id, name: via.displayName }, email: waiting.identity.email! };
    },

    /** The signed-in owner of the address confirms: the waiting login is linked to their account. */
    async confirmLink(binding: string | null, userId: string): Promise<IdentityProvider> {
      const waiting = binding ? await pending.peekLink(binding) : null;
      const via = waiting ? byId.get(waiting.provider) : undefined;
      if (!waiting || !via || !binding) throw ssoErrors.noPendingLink();
      const user = await getUserById(db, userId);
      if (!user) throw new UnauthorizedError();
      if (user.email !== waiting.identity.email) throw ssoErrors.linkForAnotherAccount(via.displayName, waiting.identity.email!, user.email);
      if (!(await pending.takeLink(binding))) throw ssoErrors.noPendingLink();
      await link(user, waiting.identity, via);
      // The provider asserted the address and its owner is signed in: it is verified.
      if (!user.emailVerified) await updateUser(db, user.id, { emailVerified: true });
      logger.info({ provider: via.id, userId }, "sign-in method linked after confirmation");
      return via;
    },

    async dropPendingLink(binding: string | null): Promise<void> {
      if (binding) await pending.dropLink(binding);
    },

    async methods(userId: string): Promise<MethodView[]> {
      const methods = await listAuthMethods(db, userId);
      const usableCount = methods.filter(usable).length;
      return methods.map((method) => {
        const via = providerOf(method);
        return {
          method,
          providerId: method.provider === "email" ? "email" : via?.id ?? method.providerName ?? method.provider,
          displayName: method.provider === "email" ? "Password" : via?.displayName ?? method.providerName ?? method.provider,
          usable: usable(method),
          removable: !usable(method) || usableCount > 1,
        };
      });
    },

    /** Removes a way to sign in, unless it is the last one that works. */
    async unlink(userId: string, methodId: string): Promise<void> {
      await db.transaction(async (tx) => {
        // Locked: two removals at once cannot each leave the other as the "remaining" one.
        const methods = await listAuthMethods(tx, userId, { forUpdate: true });
        const target = methods.find((m) => m.id === methodId);
        if (!target) throw new NotFoundError("Sign-in method");
        if (usable(target) && !methods.some((m) => m.id !== methodId && usable(m))) throw ssoErrors.lastMethod();
        await deleteAuthMethod(tx, { userId, methodId });
      });
      logger.info({ userId, methodId }, "sign-in method removed");
    },
  };

  function logged(via: IdentityProvider, error: unknown) {
    const mapped = providerFailure(via.displayName, error);
    const detail = { provider: via.id, code: mapped.code, cause: (error as { code?: string })?.code, message: (error as Error)?.message };
    if (mapped.statusCode >= 500) logger.warn(detail, "identity provider request failed");
    else logger.info(detail, "identity provider answer refused");
    return mapped;
  }
}

const refOf = (identity: ProviderIdentity) => ({
  provider: identity.provider,
  providerName: identity.providerName,
  providerAccountId: identity.subject,
});

export type SsoService = ReturnType<typeof createSsoService>;
