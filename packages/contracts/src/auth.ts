/** Sign-up, sign-in and the current user. */
import { z } from "zod";
import { nullableTimestamp, timestamp, uuid } from "./common";
import { platformRoles, userStatuses, workspaceRoles } from "./enums";
import { nameText } from "./names";

export const emailSchema = z
  .email()
  .max(320)
  .transform((e) => e.trim().toLowerCase());
/** Long passphrases welcome; the cap only bounds hashing work. */
export const passwordSchema = z.string().min(10, "must be at least 10 characters").max(200);

export const userSchema = z
  .object({
    id: uuid,
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(platformRoles).describe("Platform role; ADMIN operates Docent itself."),
    status: z.enum(userStatuses),
    emailVerified: z.boolean(),
    lastLoginAt: nullableTimestamp,
    createdAt: timestamp,
  })
  .describe("User");
export type UserDto = z.infer<typeof userSchema>;

export const signupBodySchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: nameText(1, 255).optional(),
});

/** A token from a link Docent mailed (random, base64url); it travels in request bodies, never URLs. */
export const mailTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,200}$/, "is not a token from a Docent link");

/**
 * Answer of the requests that send mail to an address (sign-up, password reset): the same
 * whatever the address, so it never tells whether the address has an account.
 */
export const mailSentResponseSchema = z.object({ message: z.string() });

/**
 * Following a confirmation link also takes the account's password (for a sign-up, the one
 * chosen then): a link planted in someone's inbox by a stranger's sign-up cannot finish
 * that stranger's account, and a stranger's account cannot be verified by the address's owner.
 */
export const verifyEmailBodySchema = z.strictObject({ token: mailTokenSchema, password: z.string().min(1).max(200) });

export const passwordResetRequestBodySchema = z.strictObject({ email: emailSchema });

export const passwordResetBodySchema = z.strictObject({ token: mailTokenSchema, password: passwordSchema });

export const loginBodySchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(200),
});

export const changePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: passwordSchema,
});

export const membershipSummarySchema = z.object({
  workspaceId: uuid,
  name: z.string(),
  slug: z.string(),
  isPersonal: z.boolean(),
  role: z.enum(workspaceRoles),
});

/**
 * Answer of sign-up, login and /auth/me. `csrfToken` must be sent back as the
 * `x-csrf-token` header on every cookie-authenticated POST/PUT/PATCH/DELETE.
 */
export const sessionResponseSchema = z.object({
  user: userSchema,
  workspaces: z.array(membershipSummarySchema),
  csrfToken: z.string(),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;
