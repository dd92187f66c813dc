/** Sign-up, sign-in and passwords. Sessions themselves are service-kit's SessionManager. */
import type { Database } from "@docent/db/client";
import { listWorkspacesForUser, createWorkspaceWithOwner } from "@docent/db/queries/workspaces";
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
import { deleteUserSessions } from "@docent/db/queries/sessions";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "@docent/service-kit/crypto/password";
import { ConflictError, ForbiddenError, UnauthorizedError, ValidationError } from "@docent/service-kit/errors";
import { isUniqueViolation } from "./db-errors";
import { newSlug } from "./slugs";

export class InvalidCredentialsError extends UnauthorizedError {
  constructor() {
    super("Wrong e-mail or password", { code: "INVALID_CREDENTIALS" });
  }
}

export function createAuthService({ db }: { db: Database }) {
  async function workspacesOf(userId: string) {
    return (await listWorkspacesForUser(db, userId)).map((w) => ({
      workspaceId: w.id,
      name: w.name,
      slug: w.slug,
      isPersonal: w.isPersonal,
      role: w.role,
    }));
  }

  return {
    workspacesOf,

    /**
     * Creates the account and its personal workspace (Free plan). An address that was
     * invited to a workspace before signing up is claimed: same user, invitations kept.
     */
    async signup(input: { email: string; password: string; name?: string }): Promise<User> {
      const passwordHash = await hashPassword(input.password);
      try {
        return await db.transaction(async (tx) => {
          const existing = await getUserByEmail(tx, input.email);
          if (existing && (existing.status !== "PENDING_VERIFICATION" || (await getPasswordHash(tx, existing.id)))) {
            throw new ConflictError("An account with this e-mail already exists", { code: "EMAIL_TAKEN" });
          }
          const user = existing
            ? (await updateUser(tx, existing.id, { status: "ACTIVE", name: input.name ?? existing.name }))!
            : await createUser(tx, { email: input.email, name: input.name ?? null });
          await setEmailPassword(tx, { userId: user.id, email: user.email, passwordHash });
          await createWorkspaceWithOwner(tx, {
            name: "Personal",
            slug: newSlug("personal"),
            ownerId: user.id,
            isPersonal: true,
          });
          return user;
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError("An account with this e-mail already exists", { code: "EMAIL_TAKEN" });
        }
        throw error;
      }
    },

    /** Checks the password; throws InvalidCredentialsError without saying which part was wrong. */
    async login(input: { email: string; password: string }): Promise<User> {
      const found = await getEmailCredentials(db, input.email);
      if (!found?.passwordHash) {
        await verifyAgainstDummy(input.password);
        throw new InvalidCredentialsError();
      }
      if (!(await verifyPassword(input.password, found.passwordHash))) throw new InvalidCredentialsError();
      if (found.user.status === "SUSPENDED") {
        throw new ForbiddenError("This account is suspended", { code: "ACCOUNT_SUSPENDED" });
      }
      if (needsRehash(found.passwordHash)) {
        await setEmailPassword(db, {
          userId: found.user.id,
          email: found.user.email,
          passwordHash: await hashPassword(input.password),
        });
      }
      return (await updateUser(db, found.user.id, { lastLoginAt: new Date() })) ?? found.user;
    },

    /** Replaces the password and signs out every other session. */
    async changePassword(input: { userId: string; sessionId: string; currentPassword: string; newPassword: string }) {
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

export type AuthService = ReturnType<typeof createAuthService>;
