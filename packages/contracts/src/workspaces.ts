/** Workspaces (tenants) and their members. */
import { z } from "zod";
import { timestamp, uuid } from "./common";
import { userStatuses, workspaceRoles } from "./enums";
import { nameText } from "./names";

export const workspaceParamsSchema = z.object({ workspaceId: uuid });

export const workspaceSchema = z
  .object({
    id: uuid,
    name: z.string(),
    slug: z.string(),
    isPersonal: z.boolean(),
    /** The caller's role; null when the caller is an API key. */
    role: z.enum(workspaceRoles).nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("Workspace");
export type WorkspaceDto = z.infer<typeof workspaceSchema>;

export const createWorkspaceBodySchema = z.strictObject({ name: nameText(1, 120) });
export const updateWorkspaceBodySchema = z.strictObject({ name: nameText(1, 120) });

export const memberParamsSchema = workspaceParamsSchema.extend({ userId: uuid });

export const memberSchema = z
  .object({
    userId: uuid,
    email: z.string(),
    name: z.string().nullable(),
    status: z.enum(userStatuses),
    role: z.enum(workspaceRoles),
    invitedBy: uuid.nullable(),
    joinedAt: timestamp,
  })
  .describe("Member");
export type MemberDto = z.infer<typeof memberSchema>;

export const updateMemberBodySchema = z.strictObject({ role: z.enum(workspaceRoles) });

