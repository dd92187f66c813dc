/**
 * Workspace invitations. An OWNER or ADMIN invites an address; Docent mails it a signed,
 * expiring link, and the person joins only by accepting it while signed in with that
 * address, verified. The answers are the same whether or not the address has an account.
 */
import { z } from "zod";
import { emailSchema, mailTokenSchema, membershipSummarySchema } from "./auth";
import { timestamp, uuid } from "./common";
import { workspaceRoles } from "./enums";
import { workspaceParamsSchema } from "./workspaces";

export const invitationParamsSchema = workspaceParamsSchema.extend({ invitationId: uuid });

export const invitationSchema = z
  .object({
    id: uuid,
    email: z.string(),
    role: z.enum(workspaceRoles),
    invitedBy: uuid.nullable(),
    expiresAt: timestamp,
    /** Past its expiry: the link no longer works until the invitation is resent. */
    expired: z.boolean(),
    createdAt: timestamp,
  })
  .describe("Invitation");
export type InvitationDto = z.infer<typeof invitationSchema>;

export const createInvitationBodySchema = z.strictObject({
  email: emailSchema,
  role: z.enum(workspaceRoles).default("MEMBER"),
});

export const invitationTokenBodySchema = z.strictObject({ token: mailTokenSchema });

/** What the invitee sees before accepting. */
export const invitationPreviewSchema = z
  .object({
    workspaceName: z.string(),
    email: z.string().describe("The address the invitation was sent to; accept signed in with it."),
    role: z.enum(workspaceRoles),
    invitedBy: z.string().nullable().describe("The inviter's name or e-mail."),
    expiresAt: timestamp,
  })
  .describe("InvitationPreview");

export const acceptInvitationResponseSchema = membershipSummarySchema;
