/**
 * The plan form: its text fields, and the schema that turns them into the API's body. An
 * empty quota means "no limit" (null) and anything else must be a number; the bounds and
 * their messages ("bots cannot be negative") are the API's own (`@docent/contracts`).
 */
import { createPlanBodySchema, planLimitsFields } from "@docent/contracts/admin";
import { z } from "zod";
import type { AdminPlan } from "../../api/types";

export const quotaFields = [
  { key: "maxBots", label: "Bots per workspace" },
  { key: "maxDocumentsPerBot", label: "Documents per bot" },
  { key: "maxTotalDocumentStorageGb", label: "Document storage (GB)" },
  { key: "maxFileSizeMb", label: "Largest file (MB)" },
  { key: "maxQueriesPerMonth", label: "Questions per month" },
  { key: "maxRetrievalsPerMonth", label: "Searches per month (search API)" },
  { key: "maxDocProcessingJobsPerMonth", label: "Processing jobs per month" },
  { key: "maxPagesPerSource", label: "Pages per website source" },
  { key: "maxCrawlsPerMonth", label: "Website crawls per month" },
] as const;

export const boundFields = [
  { key: "maxPdfPages", label: "Pages per PDF" },
  { key: "maxDocProcessingSeconds", label: "Processing time per document (s)" },
] as const;

type QuotaKey = (typeof quotaFields)[number]["key"];
type BoundKey = (typeof boundFields)[number]["key"];

/** Typed text to a quota: empty for no limit, else a number the API's bounds then judge. */
const quota = (limit: z.ZodType<number | null, number | null>) =>
  z
    .string()
    .trim()
    .regex(/^(-?\d+(\.\d+)?)?$/, "Enter a number, or leave empty for no limit")
    .transform((raw) => (raw === "" ? null : Number(raw)))
    .pipe(limit);

/** Typed text to a per-document bound, which always needs a value. */
const bound = (limit: z.ZodType<number, number>) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, "Enter a whole number")
    .transform(Number)
    .pipe(limit);

const { shape: createPlan } = createPlanBodySchema;

/** The form of an existing plan (its code never changes, so it is not checked). */
export const planFormSchema = z.object({
  code: z.string(),
  name: createPlan.name,
  description: z
    .string()
    .transform((text) => text.trim() || null)
    .pipe(createPlan.description.unwrap()),
  priceMonthly: z.string().trim().pipe(createPlan.priceMonthly.unwrap()),
  limits: z.object({
    maxBots: quota(planLimitsFields.maxBots),
    maxDocumentsPerBot: quota(planLimitsFields.maxDocumentsPerBot),
    maxTotalDocumentStorageGb: quota(planLimitsFields.maxTotalDocumentStorageGb),
    maxFileSizeMb: quota(planLimitsFields.maxFileSizeMb),
    maxQueriesPerMonth: quota(planLimitsFields.maxQueriesPerMonth),
    maxRetrievalsPerMonth: quota(planLimitsFields.maxRetrievalsPerMonth),
    maxDocProcessingJobsPerMonth: quota(planLimitsFields.maxDocProcessingJobsPerMonth),
    maxPagesPerSource: quota(planLimitsFields.maxPagesPerSource),
    maxCrawlsPerMonth: quota(planLimitsFields.maxCrawlsPerMonth),
    maxPdfPages: bound(planLimitsFields.maxPdfPages),
    maxDocProcessingSeconds: bound(planLimitsFields.maxDocProcessingSeconds),
  } satisfies Record<QuotaKey | BoundKey, z.ZodType>),
  allowAdvancedRagConfig: z.boolean(),
  isActive: z.boolean(),
  isDefault: z.boolean(),
});

/** A new plan's form: its code is checked as the API checks it. */
export const newPlanFormSchema = planFormSchema.extend({ code: z.string().trim().pipe(createPlan.code) });

export type PlanFormState = z.input<typeof planFormSchema>;
export type PlanFormValues = z.output<typeof planFormSchema>;

const text = (n: number | null) => (n === null ? "" : String(n));

export function formFromPlan(plan: AdminPlan | null): PlanFormState {
  const source = plan ?? {
    code: "",
    name: "",
    description: null,
    priceMonthly: "0.00",
    maxBots: 1,
    maxDocumentsPerBot: 100,
    maxTotalDocumentStorageGb: 1,
    maxFileSizeMb: 20,
    maxQueriesPerMonth: 1000,
    maxRetrievalsPerMonth: 5000,
    maxDocProcessingJobsPerMonth: 200,
    maxPagesPerSource: 500,
    maxCrawlsPerMonth: 100,
    maxPdfPages: 500,
    maxDocProcessingSeconds: 300,
    allowAdvancedRagConfig: false,
    isActive: true,
    isDefault: false,
  };
  return {
    code: source.code,
    name: source.name,
    description: source.description ?? "",
    priceMonthly: source.priceMonthly,
    limits: Object.fromEntries([...quotaFields, ...boundFields].map((f) => [f.key, text(source[f.key])])) as PlanFormState["limits"],
    allowAdvancedRagConfig: source.allowAdvancedRagConfig,
    isActive: source.isActive,
    isDefault: source.isDefault,
  };
}

/** The fields both create and update send (the code and the default flag are added by the caller). */
export function planBody(values: PlanFormValues) {
  return {
    name: values.name,
    description: values.description,
    priceMonthly: values.priceMonthly,
    ...values.limits,
    allowAdvancedRagConfig: values.allowAdvancedRagConfig,
    isActive: values.isActive,
  };
}
