/** Platform administration: list every workspace and user, suspend and reinstate users. */
import type { Database } from "@docent/db/client";
import { deleteUserSessions } from "@docent/db/queries/sessions";
import { listUsers, updateUser } from "@docent/db/queries/users";
import { listAllWorkspaces } from "@docent/db/queries/workspaces";
import { ConflictError, NotFoundError } from "@docent/service-kit/errors";
import { userDto } from "../dto";

type Page = { limit: number; offset: number; search?: string };

export function createAdminService({ db }: { db: Database }) {
  return {
    async workspaces(page: Page) {
      const { items, total } = await listAllWorkspaces(db, page);
      return {
        total,
        items: items.map((r) => ({
          id: r.workspace.id,
          name: r.workspace.name,
          slug: r.workspace.slug,
          isPersonal: r.workspace.isPersonal,
          ownerEmail: r.ownerEmail,
          memberCount: r.memberCount,
          botCount: r.botCount,
          createdAt: r.workspace.createdAt.toISOString(),
        })),
      };
    },

    async users(page: Page) {
      const { items, total } = await listUsers(db, page);
      return { total, items: items.map(userDto) };
    },

    /** Suspension also ends every session of the user at once. */
    async setSuspended(actorId: string, userId: string, suspended: boolean) {
      if (actorId === userId) throw new ConflictError("You cannot suspend yourself");
      const user = await updateUser(db, userId, { status: suspended ? "SUSPENDED" : "ACTIVE" });
      if (!user) throw new NotFoundError("User");
      if (suspended) await deleteUserSessions(db, userId);
      return userDto(user);
    },
  };
}
