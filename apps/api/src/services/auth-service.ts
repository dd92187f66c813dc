/**
 * Accounts: sign-up with e-mail verification, sign-in, passwords and password resets.
 * Sessions themselves are service-kit's SessionManager.
 *
 * Sign-up creates nothing until the address is proven: it mails a single-use link, and
 * the account (with its personal workspace) is created when the link is followed. An
 * address that already has an account gets a "you already have an account" mail instead,
 * so the answer, the time it takes and the mail's arrival are the same either way: no
 * request tells whether an address has an account (sign-up, password reset, invitation).
 */
import type { Database } from "@docent/db/client";
import { touchPasswordMethod } from "@docent/db/queries/auth-methods";
import { createEmailToken, findLiveEmailToken, useEmailToken, voidEmailTokens } from "@docent/db/queries/email-tokens";
import { deleteUserSessions } from "@docent/db/queries/sessions";
import {
  createUser,
  getEmailCredentials,
  getPasswordHash,
  getUserByEmail,
  getUserById,
  setEmailPassword,
  updateUser,
  type User,
} from "@docent/db/queries/users";
import { createWorkspaceWithOwner, listWorkspacesForUser } from "@docent/db/queries/workspaces";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "@docent/service-kit/crypto/password";
import { newSessionToken, sha256Hex } from "@docent/service-kit/crypto/tokens";
import { BadRequestError, ConflictError, ForbiddenError, UnauthorizedError, ValidationError } from "@docent/service-kit/errors";
import type { Mailer } from "../mail/mailer";
import { appLink, mails } from "../mail/messages";
import { isUniqueViolation } from "./db-errors";
import { assertEmailAllowed, assertPasswordEnabled, type SignInPolicy } from "./sign-in-policy";
import { newSlug } from "./slugs";

const HOUR = 3600_000;
/** How long each kind of link works. */
export const TOKEN_TTL_MS = { signup: 24 * HOUR, verify_email: 24 * HOUR, password_reset: HOUR } as const;

export class InvalidCredentialsError extends UnauthorizedError {
  constructor() {
    super("Wrong e-mail or password", { code: "INVALID_CREDENTIALS" });
  }
}

export const invalidLink = () =>
  new BadRequestError("This link is invalid, was already used or has expired; ask for a new one", { code: "INVALID_TOKEN" });

const suspended = () => new ForbiddenError("This account is suspended", { code: "ACCOUNT_SUSPENDED" });

/** A fresh link token (256 random bits) and the hash that is stored. */
export function newMailToken(): { token: string; hash: string } {
  const token = newSessionToken();
  return { token, hash: sha256Hex(token) };
}

export interface AuthServiceDeps {
  db: Database;
  mailer: Mailer;
  /** PUBLIC_APP_URL: the base of the links in mail. */
  appUrl: string;
  /** Password sign-in on or off, allowed e-mail domains. */
  policy: SignInPolicy;
}

export function createAuthService({ db, mailer, appUrl, policy }: AuthServiceDeps) {
  async function workspacesOf(userId: string) {
    return (await listWorkspacesForUser(db, userId)).map((w) => ({
      workspaceId: w.id,
      name: w.name,
      slug: w.slug,
      isPersonal: w.isPersonal,
      role: w.role,
    }));
  }

  const expiry = (purpose: keyof typeof TOKEN_TTL_MS) => new Date(Date.now() + TOKEN_TTL_MS[purpose]);

  return {
    workspacesOf,

    /**
     * Mails a confirmation link (new address) or an "account exists" notice (known
     * address). The password is hashed either way, so both take as long; mail goes out in
     * the background. `mayMail` false (too many mails to this address) sends nothing.
     */
    async signup(input: { email: string; password: string; name?: string }, mayMail: boolean): Promise<void> {
      assertPasswordEnabled(policy);
      assertEmailAllowed(policy, input.email);
      const passwordHash = await hashPassword(input.password);
      const existing = await getUserByEmail(db, input.email);
      if (!mayMail) return;
      if (existing) {
        mailer.dispatch(mails.accountExists(input.email, appLink(appUrl, "/login"), appLink(appUrl, "/forgot-password")));
        return;
      }
      const { token, hash } = newMailToken();
      await createEmailToken(db, {
        purpose: "signup",
        email: input.email,
        passwordHash,
        name: input.name ?? null,
        tokenHash: hash,
        expiresAt: expiry("signup"),
      });
      mailer.dispatch(mails.confirmSignup(input.email, appLink(appUrl, "/verify-email", token)));
    },

    /**
     * Follows a sign-up or verification link, with the account's password: a sign-up link
     * creates the account (verified, with its personal workspace); a verification link
     * marks the address verified. The user is returned to be signed in.
     */
    async verifyEmail(input: { token: string; password: string }): Promise<User> {
      assertPasswordEnabled(policy);
      const tokenHash = sha256Hex(input.token);
      try {
        return await db.transaction(async (tx) => {
          const live = await findLiveEmailToken(tx, tokenHash);
          if (!live || live.purpose === "password_reset") throw invalidLink();
          // The password proves this is the person who signed up (or owns the account),
          // not merely someone who can read the mailbox; the link stays usable until then.
          const expected = live.purpose === "signup" ? live.passwordHash : live.userId ? await getPasswordHash(tx, live.userId) : null;
          if (!expected || !(await verifyPassword(input.password, expected))) {
            throw new ValidationError(
              [{ path: "body.password", message: live.purpose === "signup" ? "is not the password chosen at sign-up" : "is not this account's password" }],
              "Enter the password of the account this link is for",
            );
          }
          const used = await useEmailToken(tx, { purpose: live.purpose, tokenHash });
          if (!used) throw invalidLink();
          if (used.purpose === "signup") {
            assertEmailAllowed(policy, used.email);
            if (await getUserByEmail(tx, used.email)) throw alreadyRegistered();
            const user = await createUser(tx, { email: used.email, name: used.name, emailVerified: true });
            await setEmailPassword(tx, { userId: user.id, email: user.email, passwordHash: used.passwordHash! });
            await createWorkspaceWithOwner(tx, { name: "Personal", slug: newSlug("personal"), ownerId: user.id, isPersonal: true });
            return user;
          }
          const user = used.userId ? await getUserById(tx, used.userId) : undefined;
          // The account's address changed since the link was sent: it proves nothing now.
          if (!user || user.email !== used.email) throw invalidLink();
          if (user.status === "SUSPENDED") throw suspended();
          return (await updateUser(tx, user.id, { emailVerified: true }))!;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw alreadyRegistered();
        throw error;
      }
    },

    /** Mails the signed-in user a link that verifies their address (accounts from before sign-up verified it). */
    async sendVerification(userId: string): Promise<"sent" | "already_verified"> {
      const user = await getUserById(db, userId);
      if (!user) throw new UnauthorizedError();
      if (user.emailVerified) return "already_verified";
      const { token, hash } = newMailToken();
      await voidEmailTokens(db, { userId, purpose: "verify_email" });
      await createEmailToken(db, { purpose: "verify_email", email: user.email, userId, tokenHash: hash, expiresAt: expiry("verify_email") });
      await mailer.send(mails.verifyEmail(user.email, appLink(appUrl, "/verify-email", token)));
      return "sent";
    },

    /** Mails a reset link if the address has an (unsuspended) account; otherwise nothing, same answer. */
    async requestPasswordReset(email: string, mayMail: boolean): Promise<void> {
      assertPasswordEnabled(policy);
      const user = await getUserByEmail(db, email);
      if (!user || user.status === "SUSPENDED" || !mayMail) return;
      const { token, hash } = newMailToken();
      await voidEmailTokens(db, { userId: user.id, purpose: "password_reset" });
      await createEmailToken(db, { purpose: "password_reset", email: user.email, userId: user.id, tokenHash: hash, expiresAt: expiry("password_reset") });
      mailer.dispatch(mails.passwordReset(user.email, appLink(appUrl, "/reset-password", token)));
    },

    /**
     * Sets the new password from a reset link and signs out every session. Following the
     * link proved control of the address, so it is verified too.
     */
    async resetPassword(input: { token: string; password: string }): Promise<void> {
      assertPasswordEnabled(policy);
      const passwordHash = await hashPassword(input.password);
      await db.transaction(async (tx) => {
        const used = await useEmailToken(tx, { purpose: "password_reset", tokenHash: sha256Hex(input.token) });
        const user = used?.userId ? await getUserById(tx, used.userId) : undefined;
        if (!used || !user || user.email !== used.email) throw invalidLink();
        await setEmailPassword(tx, { userId: user.id, email: user.email, passwordHash });
        await updateUser(tx, user.id, { emailVerified: true });
        await deleteUserSessions(tx, user.id);
        await voidEmailTokens(tx, { userId: user.id, purpose: "password_reset" });
      });
    },

    /** Checks the password; throws InvalidCredentialsError without saying which part was wrong. */
    async login(input: { email: string; password: string }): Promise<User> {
      assertPasswordEnabled(policy);
      assertEmailAllowed(policy, input.email);
      const found = await getEmailCredentials(db, input.email);
      if (!found?.passwordHash) {
        await verifyAgainstDummy(input.password);
        throw new InvalidCredentialsError();
      }
      if (!(await verifyPassword(input.password, found.passwordHash))) throw new InvalidCredentialsError();
      if (found.user.status === "SUSPENDED") throw suspended();
      if (needsRehash(found.passwordHash)) {
        await setEmailPassword(db, {
          userId: found.user.id,
          email: found.user.email,
          passwordHash: await hashPassword(input.password),
        });
      }
      await touchPasswordMethod(db, found.user.id);
      return (await updateUser(db, found.user.id, { lastLoginAt: new Date() })) ?? found.user;
    },

    /** Replaces the password and signs out every other session. */
    async changePassword(input: { userId: string; sessionId: string; currentPassword: string; newPassword: string }) {
      assertPasswordEnabled(policy);
      const stored = await getPasswordHash(db, input.userId);
      if (!stored || !(await verifyPassword(input.currentPassword, stored))) {
        throw new ValidationError([{ path: "body.currentPassword", message: "is not your current password" }]);
      }
      const user = await getUserById(db, input.userId);
      await setEmailPassword(db, {
        userId: input.userId,
        email: user!.email,
        passwordHash: await hashPassword(input.newPassword),
      });
      await deleteUserSessions(db, input.userId, input.sessionId);
    },

    async getUser(userId: string): Promise<User> {
      const user = await getUserById(db, userId);
      if (!user) throw new UnauthorizedError();
      return user;
    },
  };
}

/** Only the holder of the link (who controls the address) sees this: it reveals nothing to others. */
const alreadyRegistered = () =>
  new ConflictError("This address already has an account: sign in, or reset the password if you forgot it", {
    code: "EMAIL_ALREADY_REGISTERED",
  });

export type AuthService = ReturnType<typeof createAuthService>;
