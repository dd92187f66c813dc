/** Workspaces and membership, with the role rules: only OWNERs touch OWNERs; never zero OWNERs. */
import type { Database } from "@docent/db/client";
import { revokeApiKeysCreatedBy } from "@docent/db/queries/api-keys";
import {
  countOwnersForUpdate,
  getMember,
  listMembers,
  removeMember,
  setMemberRole,
} from "@docent/db/queries/members";
import {
  createWorkspaceWithOwner,
  deleteWorkspace,
  getWorkspace,
  listWorkspacesForUser,
  updateWorkspace,
  type WorkspaceRole,
} from "@docent/db/queries/workspaces";
import type { Identity, WorkspaceAccess } from "@docent/http-kit/auth";
import { ConflictError, ForbiddenError, NotFoundError } from "@docent/service-kit/errors";
import { memberDto, workspaceDto } from "../dto";
import { newSlug } from "./slugs";

export function createWorkspaceService({ db }: { db: Database }) {
  async function requireWorkspace(workspaceId: string) {
    const workspace = await getWorkspace(db, workspaceId);
    if (!workspace) throw new NotFoundError("Workspace");
    return workspace;
  }

  async function requireMember(workspaceId: string, userId: string) {
    const member = await getMember(db, { workspaceId, userId });
    if (!member) throw new NotFoundError("Member");
    return member;
  }

  const assertOwnerActor = (access: WorkspaceAccess, what: string) => {
    if (access.role !== "OWNER") throw new ForbiddenError(`Only an OWNER can ${what}`);
  };

  return {
    async list(identity: Identity) {
      if (identity.kind === "apiKey") {
        return [workspaceDto(await requireWorkspace(identity.workspaceId), null)];
      }
      return (await listWorkspacesForUser(db, identity.userId)).map((w) => workspaceDto(w, w.role));
    },

    async create(userId: string, name: string) {
      const workspace = await db.transaction((tx) =>
        createWorkspaceWithOwner(tx, { name, slug: newSlug(name), ownerId: userId }),
      );
      return workspaceDto(workspace, "OWNER");
    },

    async get(access: WorkspaceAccess) {
      return workspaceDto(await requireWorkspace(access.workspaceId), access.role);
    },

    async rename(access: WorkspaceAccess, name: string) {
      const workspace = await updateWorkspace(db, access.workspaceId, { name });
      if (!workspace) throw new NotFoundError("Workspace");
      return workspaceDto(workspace, access.role);
    },

    async remove(access: WorkspaceAccess) {
      assertOwnerActor(access, "delete a workspace");
      const workspace = await requireWorkspace(access.workspaceId);
      if (workspace.isPersonal) throw new ConflictError("A personal workspace cannot be deleted");
      await deleteWorkspace(db, workspace.id);
    },

    async listMembers(access: WorkspaceAccess) {
      return (await listMembers(db, access.workspaceId)).map(memberDto);
    },

    async changeRole(access: WorkspaceAccess, userId: string, role: WorkspaceRole) {
      const target = await requireMember(access.workspaceId, userId);
      if (target.role === "OWNER" || role === "OWNER") assertOwnerActor(access, "grant or take the OWNER role");
      if (target.role === role) return memberDto(target);
      await db.transaction(async (tx) => {
        if (target.role === "OWNER" && (await countOwnersForUpdate(tx, access.workspaceId)) <= 1) {
          throw new ConflictError("A workspace needs at least one OWNER; make another member OWNER first", {
            code: "LAST_OWNER",
          });
        }
        await setMemberRole(tx, { workspaceId: access.workspaceId, userId, role });
      });
      return memberDto(await requireMember(access.workspaceId, userId));
    },

    /**
     * Removes a member and revokes the API keys they created here; anyone may remove
     * themselves (leave), except the last OWNER.
     */
    async removeMember(access: WorkspaceAccess, userId: string) {
      const leaving = userId === access.userId;
      if (!leaving && !access.permissions.has("workspace:admin")) {
        throw new ForbiddenError("Only OWNERs and ADMINs can remove other members");
      }
      const target = await requireMember(access.workspaceId, userId);
      if (target.role === "OWNER" && !leaving) assertOwnerActor(access, "remove an OWNER");
      await db.transaction(async (tx) => {
        if (target.role === "OWNER" && (await countOwnersForUpdate(tx, access.workspaceId)) <= 1) {
          throw new ConflictError("The last OWNER cannot leave; make another member OWNER first", {
            code: "LAST_OWNER",
          });
        }
        await removeMember(tx, { workspaceId: access.workspaceId, userId });
        // Their keys stop now (auth also refuses keys of non-members) and stay revoked if they rejoin.
        await revokeApiKeysCreatedBy(tx, { workspaceId: access.workspaceId, userId });
      });
    },
  };
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;
