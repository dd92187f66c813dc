/** Platform administration (users.role = ADMIN): every workspace and user. */
import { z } from "zod";
import { pageOf, timestamp, uuid } from "./common";
import { userSchema } from "./auth";

export const adminWorkspaceSchema = z
  .object({
    id: uuid,
    name: z.string(),
    slug: z.string(),
    isPersonal: z.boolean(),
    ownerEmail: z.string().nullable(),
    memberCount: z.number().int(),
    botCount: z.number().int(),
    createdAt: timestamp,
  })
  .describe("AdminWorkspace");

export const adminWorkspacePageSchema = pageOf(adminWorkspaceSchema);
export const adminUserPageSchema = pageOf(userSchema);
export const adminUserParamsSchema = z.object({ userId: uuid });
