/**
 * Invitations: OWNERs and ADMINs invite an address with a role; Docent mails a signed,
 * expiring link; the invitee joins only by accepting it, signed in with that address,
 * verified. Nobody is added without their consent, and inviting answers the same whether
 * or not the address has an account.
 */
import type { InvitationDto } from "@docent/contracts";
import type { Database } from "@docent/db/client";
import {
  deleteInvitation,
  findInvitationByToken,
  type Invitation,
  listInvitations,
  renewInvitation,
  takeInvitation,
  upsertInvitation,
} from "@docent/db/queries/invitations";
import { addMember, getMemberByEmail } from "@docent/db/queries/members";
import { getUserById } from "@docent/db/queries/users";
import { getWorkspace, type WorkspaceRole } from "@docent/db/queries/workspaces";
import type { WorkspaceAccess } from "@docent/http-kit/auth";
import { sha256Hex } from "@docent/service-kit/crypto/tokens";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, ServiceUnavailableError } from "@docent/service-kit/errors";
import type { Mailer } from "../mail/mailer";
import { appLink, mails } from "../mail/messages";
import { newMailToken } from "./auth-service";
import { assertEmailAllowed, type SignInPolicy } from "./sign-in-policy";

/** How long an invitation link works; resending starts a new period. */
export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

const invalidInvitation = () =>
  new BadRequestError("This invitation link is invalid, was already used or has expired; ask for a new one", { code: "INVALID_TOKEN" });

export const invitationDto = (i: Invitation, now = new Date()): InvitationDto => ({
  id: i.id,
  email: i.email,
  role: i.role,
  invitedBy: i.invitedBy,
  expiresAt: i.expiresAt.toISOString(),
  expired: i.expiresAt.getTime() <= now.getTime(),
  createdAt: i.createdAt.toISOString(),
});

export function createInvitationService({ db, mailer, appUrl, policy }: { db: Database; mailer: Mailer; appUrl: string; policy: SignInPolicy }) {
  /** Mails the link; the invitation stays stored if the mail fails, so it can be resent. */
  async function mail(access: WorkspaceAccess, invitation: Invitation, token: string) {
    const [workspace, inviter] = await Promise.all([getWorkspace(db, invitation.workspaceId), access.userId ? getUserById(db, access.userId) : undefined]);
    try {
      await mailer.send(
        mails.invitation(invitation.email, {
          workspaceName: workspace?.name ?? "a workspace",
          inviter: inviter?.name || inviter?.email || "A Docent user",
          role: invitation.role,
          link: appLink(appUrl, "/invitations/accept", token),
          expiresAt: invitation.expiresAt,
        }),
      );
    } catch (error) {
      throw new ServiceUnavailableError("The invitation is saved but its e-mail could not be sent; resend it in a moment", {
        code: "MAIL_UNAVAILABLE",
        cause: error,
        headers: { "retry-after": "30" },
      });
    }
  }

  return {
    async list(access: WorkspaceAccess) {
      const now = new Date();
      return (await listInvitations(db, access.workspaceId)).map((i) => invitationDto(i, now));
    },

    /** Invites an address, or renews its pending invitation (new role, link and expiry). */
    async invite(access: WorkspaceAccess, input: { email: string; role: WorkspaceRole }) {
      if (input.role === "OWNER" && access.role !== "OWNER") throw new ForbiddenError("Only an OWNER can invite another OWNER");
      // Such an address could never sign in to accept.
      assertEmailAllowed(policy, input.email);
      // Members are listed to whoever can invite, so saying so reveals nothing.
      if (await getMemberByEmail(db, { workspaceId: access.workspaceId, email: input.email })) {
        throw new ConflictError("This address belongs to a member already", { code: "ALREADY_MEMBER" });
      }
      const { token, hash } = newMailToken();
      const invitation = await upsertInvitation(db, {
        workspaceId: access.workspaceId,
        email: input.email,
        role: input.role,
        invitedBy: access.userId,
        tokenHash: hash,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      });
      await mail(access, invitation, token);
      return invitationDto(invitation);
    },

    async resend(access: WorkspaceAccess, invitationId: string) {
      const { token, hash } = newMailToken();
      const invitation = await renewInvitation(db, {
        workspaceId: access.workspaceId,
        invitationId,
        tokenHash: hash,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      });
      if (!invitation) throw new NotFoundError("Invitation");
      await mail(access, invitation, token);
      return invitationDto(invitation);
    },

    async revoke(access: WorkspaceAccess, invitationId: string) {
      if (!(await deleteInvitation(db, { workspaceId: access.workspaceId, invitationId }))) throw new NotFoundError("Invitation");
    },

    /** What the holder of a link is invited to. */
    async preview(token: string) {
      const found = await findInvitationByToken(db, sha256Hex(token));
      if (!found) throw invalidInvitation();
      return {
        workspaceName: found.workspaceName,
        email: found.invitation.email,
        role: found.invitation.role,
        invitedBy: found.inviterName || found.inviterEmail,
        expiresAt: found.invitation.expiresAt.toISOString(),
      };
    },

    /**
     * Joins the workspace: only the account whose verified address the invitation was
     * sent to may, and the link works once.
     */
    async accept(userId: string, token: string) {
      const tokenHash = sha256Hex(token);
      return db.transaction(async (tx) => {
        const found = await findInvitationByToken(tx, tokenHash);
        const user = await getUserById(tx, userId);
        if (!found || !user) throw invalidInvitation();
        if (user.email !== found.invitation.email) {
          throw new ForbiddenError(`This invitation was sent to ${found.invitation.email}: sign in with that address to accept it`, {
            code: "INVITATION_FOR_ANOTHER_ADDRESS",
          });
        }
        if (!user.emailVerified) {
          throw new ForbiddenError("Verify your e-mail address first: we can send you a link", { code: "EMAIL_NOT_VERIFIED" });
        }
        const invitation = await takeInvitation(tx, tokenHash);
        if (!invitation) throw invalidInvitation();
        await addMember(tx, { workspaceId: invitation.workspaceId, userId, role: invitation.role, invitedBy: invitation.invitedBy });
        const workspace = (await getWorkspace(tx, invitation.workspaceId))!;
        return { workspaceId: workspace.id, name: workspace.name, slug: workspace.slug, isPersonal: workspace.isPersonal, role: invitation.role };
      });
    },
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
