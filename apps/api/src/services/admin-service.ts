/**
 * Platform administration: list every workspace and user, suspend and reinstate users,
 * create and edit plans and move workspaces between them. A plan edit that leaves
 * workspaces over their use is allowed (nothing is taken away) and answered with the
 * workspaces it affects, so the operator sees what they did.
 */
import type { Database } from "@docent/db/client";
import {
  countWorkspacesOnPlan,
  createPlan,
  getPlan,
  listPlansWithWorkspaceCounts,
  makeDefaultPlan,
  type Plan,
  type PlanFields,
  setWorkspacePlan,
  updatePlan,
} from "@docent/db/queries/plans";
import { deleteUserSessions } from "@docent/db/queries/sessions";
import { workspacesOverLimits } from "@docent/db/queries/usage";
import { listUsers, updateUser } from "@docent/db/queries/users";
import { getWorkspace, listAllWorkspaces } from "@docent/db/queries/workspaces";
import type { createPlanBodySchema, updatePlanBodySchema } from "@docent/contracts/admin";
import { ConflictError, NotFoundError } from "@docent/service-kit/errors";
import type { z } from "zod";
import { adminPlanDto, userDto } from "../dto";
import type { createCatalogService } from "./catalog-service";
import { isUniqueViolation, pgConstraint } from "./db-errors";

type Page = { limit: number; offset: number; search?: string };
type CreatePlanInput = z.infer<typeof createPlanBodySchema>;
type UpdatePlanInput = z.infer<typeof updatePlanBodySchema>;

/** A taken code or name, as a 409 naming the field. */
function planConflict(error: unknown, input: { code?: string; name?: string }): never {
  if (isUniqueViolation(error)) {
    const field = pgConstraint(error)?.includes("code") ? "code" : "name";
    throw new ConflictError(`A plan with this ${field} already exists: "${input[field]}"`, {
      code: "PLAN_EXISTS",
      details: { field },
    });
  }
  throw error;
}

export function createAdminService({ db, catalog }: { db: Database; catalog: ReturnType<typeof createCatalogService> }) {
  async function planView(plan: Plan) {
    return adminPlanDto({ ...plan, workspaceCount: await countWorkspacesOnPlan(db, plan.id) });
  }

  async function requirePlan(planId: string) {
    const plan = await getPlan(db, planId);
    if (!plan) throw new NotFoundError("Plan");
    return plan;
  }

  function assertCanBeDefault(plan: Pick<Plan, "isActive">, isDefault: boolean | undefined) {
    if (isDefault && !plan.isActive) {
      throw new ConflictError("An inactive plan cannot be the default plan; make it active first", {
        code: "PLAN_INACTIVE",
        details: { field: "isDefault" },
      });
    }
  }

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
          plan: r.plan,
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

    async plans() {
      return { items: (await listPlansWithWorkspaceCounts(db)).map(adminPlanDto) };
    },

    async createPlan(input: CreatePlanInput) {
      const { isDefault, ...fields } = input;
      assertCanBeDefault(fields, isDefault);
      const plan = await createPlan(db, { ...fields, description: fields.description ?? null } satisfies PlanFields).catch(
        (error: unknown) => planConflict(error, input),
      );
      if (isDefault) await makeDefaultPlan(db, plan.id);
      return planView((await getPlan(db, plan.id))!);
    },

    /** Applies the edit, then reports the workspaces on the plan that now use more than it allows. */
    async updatePlan(planId: string, input: UpdatePlanInput) {
      const current = await requirePlan(planId);
      const { isDefault, ...patch } = input;
      if (patch.isActive === false && current.isDefault) {
        throw new ConflictError("The default plan cannot be made inactive; make another plan the default first", {
          code: "PLAN_IS_DEFAULT",
          details: { field: "isActive" },
        });
      }
      assertCanBeDefault({ isActive: patch.isActive ?? current.isActive }, isDefault);
      const updated = (await updatePlan(db, planId, patch).catch((error: unknown) => planConflict(error, input)))!;
      if (isDefault) await makeDefaultPlan(db, planId);
      return {
        plan: await planView((await getPlan(db, planId)) ?? updated),
        workspacesOverLimit: await workspacesOverLimits(db, updated),
      };
    },

    async workspaceUsage(workspaceId: string) {
      if (!(await getWorkspace(db, workspaceId))) throw new NotFoundError("Workspace");
      return catalog.usage(workspaceId);
    },

    /** Moves the workspace to the plan; answers its usage, with what is now over the plan. */
    async setWorkspacePlan(workspaceId: string, planId: string) {
      await requirePlan(planId);
      if (!(await setWorkspacePlan(db, workspaceId, planId))) throw new NotFoundError("Workspace");
      return catalog.usage(workspaceId);
    },
  };
}
