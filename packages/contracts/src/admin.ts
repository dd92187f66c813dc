/** Platform administration (users.role = ADMIN): every workspace and user, and the plans. */
import { z } from "zod";
import { pageOf, timestamp, uuid } from "./common";
import { userSchema } from "./auth";
import { nameText } from "./names";
import { overLimitSchema, planSchema } from "./plans";

export const adminWorkspaceSchema = z
  .object({
    id: uuid,
    name: z.string(),
    slug: z.string(),
    isPersonal: z.boolean(),
    ownerEmail: z.string().nullable(),
    memberCount: z.number().int(),
    botCount: z.number().int(),
    plan: z.object({ id: uuid, code: z.string(), name: z.string() }).nullable().describe("The live subscription's plan."),
    createdAt: timestamp,
  })
  .describe("AdminWorkspace");

export const adminWorkspacePageSchema = pageOf(adminWorkspaceSchema);
export const adminUserPageSchema = pageOf(userSchema);
export const adminUserParamsSchema = z.object({ userId: uuid });

/*
 * Plans, as platform admins manage them. Every limit is bounded: a negative or absurd value
 * is refused with a 400 naming the field. Quotas take null for "no limit"; the two
 * per-document processing bounds always need a value.
 */
const QUOTA_MAX = 1_000_000_000;
const quotaField = (what: string) =>
  z
    .number()
    .int(`${what} must be a whole number`)
    .min(0, `${what} cannot be negative`)
    .max(QUOTA_MAX, `${what} can be at most ${QUOTA_MAX.toLocaleString("en-US")} (null means no limit)`)
    .nullable();

export const planLimitsFields = {
  maxBots: quotaField("bots"),
  maxDocumentsPerBot: quotaField("documents per bot"),
  maxTotalDocumentStorageGb: z
    .number()
    .min(0, "storage cannot be negative")
    .max(1_000_000, "storage can be at most 1,000,000 GB (null means no limit)")
    .nullable(),
  maxFileSizeMb: z
    .number()
    .int("file size must be a whole number of MB")
    .min(1, "file size must be at least 1 MB")
    .max(1_048_576, "file size can be at most 1,048,576 MB (null means no limit; the server's DOCUMENT_UPLOAD_MAX_BYTES still applies)")
    .nullable(),
  maxQueriesPerMonth: quotaField("questions per month"),
  maxRetrievalsPerMonth: quotaField("searches per month"),
  maxDocProcessingJobsPerMonth: quotaField("processing jobs per month"),
  maxPagesPerSource: quotaField("pages per website source"),
  maxCrawlsPerMonth: quotaField("website crawls per month"),
  maxPdfPages: z
    .number()
    .int("pages must be a whole number")
    .min(1, "a plan must allow PDFs of at least 1 page")
    .max(1_000_000, "PDFs can be allowed at most 1,000,000 pages"),
  maxDocProcessingSeconds: z
    .number()
    .int("seconds must be a whole number")
    .min(1, "processing time must be at least 1 second")
    .max(86_400, "processing time can be at most 86,400 seconds (one day) per document"),
  allowAdvancedRagConfig: z.boolean(),
};

const editablePlanFields = {
  ...planLimitsFields,
  name: nameText(1, 100),
  description: z.string().trim().max(500).nullable(),
  priceMonthly: z
    .string()
    .regex(/^\d{1,8}(\.\d{1,2})?$/, 'a price like "29" or "29.00", at most 99999999.99')
    .describe('Monthly price shown to customers, e.g. "29.00"; Docent bills nothing itself.'),
  isActive: z.boolean().describe("Offered: listed by GET /v1/plans. Workspaces on an inactive plan keep it."),
  isDefault: z
    .literal(true)
    .describe("Make this the plan new workspaces start on (DEFAULT_PLAN, when set, wins at the next API start)."),
};

export const createPlanBodySchema = z
  .strictObject({
    code: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "lower-case letters, digits and dashes, at most 32, e.g. team-plus")
      .describe("Stable identifier, never changed."),
    ...editablePlanFields,
    // Added with website sources: a client that does not know them yet sets no limit.
    maxPagesPerSource: editablePlanFields.maxPagesPerSource.default(null),
    maxCrawlsPerMonth: editablePlanFields.maxCrawlsPerMonth.default(null),
    description: editablePlanFields.description.optional(),
    priceMonthly: editablePlanFields.priceMonthly.default("0.00"),
    isActive: editablePlanFields.isActive.default(true),
    isDefault: editablePlanFields.isDefault.optional(),
  })
  .describe("CreatePlan");

export const updatePlanBodySchema = z
  .strictObject(editablePlanFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: "name at least one field to change" })
  .describe("UpdatePlan");

export const adminPlanSchema = planSchema
  .extend({
    isActive: z.boolean(),
    isDefault: z.boolean().describe("New workspaces start on this plan."),
    workspaceCount: z.number().int().min(0),
    updatedAt: timestamp,
  })
  .describe("AdminPlan");
export type AdminPlanDto = z.infer<typeof adminPlanSchema>;

export const planParamsSchema = z.object({ planId: uuid });

/** Workspaces a plan change leaves over their plan: allowed, but flagged. */
export const workspacesOverLimitSchema = z
  .object({
    total: z.number().int().min(0),
    items: z.array(z.object({ workspaceId: uuid, workspaceName: z.string(), over: z.array(overLimitSchema) })),
  })
  .describe("WorkspacesOverLimit");

export const planChangeResultSchema = z
  .object({
    plan: adminPlanSchema,
    workspacesOverLimit: workspacesOverLimitSchema.describe(
      "Workspaces on this plan that now use more than it allows (first 50). They keep what they have; new bots, documents, questions or searches past a limit are refused.",
    ),
  })
  .describe("PlanChangeResult");

export const adminWorkspaceParamsSchema = z.object({ workspaceId: uuid });
export const setWorkspacePlanBodySchema = z.strictObject({ planId: uuid }).describe("SetWorkspacePlan");
