/**
 * The plan form's text fields and the API body they make: an empty quota means "no limit"
 * (null), a number is sent as typed (the API refuses negative or absurd ones, naming the
 * field), anything else is caught here before sending.
 */
import type { AdminPlan } from "../../api/types";

export const quotaFields = [
  { key: "maxBots", label: "Bots per workspace" },
  { key: "maxDocumentsPerBot", label: "Documents per bot" },
  { key: "maxTotalDocumentStorageGb", label: "Document storage (GB)" },
  { key: "maxFileSizeMb", label: "Largest file (MB)" },
  { key: "maxQueriesPerMonth", label: "Questions per month" },
  { key: "maxRetrievalsPerMonth", label: "Searches per month (search API)" },
  { key: "maxDocProcessingJobsPerMonth", label: "Processing jobs per month" },
] as const;

export const boundFields = [
  { key: "maxPdfPages", label: "Pages per PDF" },
  { key: "maxDocProcessingSeconds", label: "Processing time per document (s)" },
] as const;

type QuotaKey = (typeof quotaFields)[number]["key"];
type BoundKey = (typeof boundFields)[number]["key"];

export interface PlanFormState {
  code: string;
  name: string;
  description: string;
  priceMonthly: string;
  limits: Record<QuotaKey | BoundKey, string>;
  allowAdvancedRagConfig: boolean;
  isActive: boolean;
  isDefault: boolean;
}

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

/** The request body, or the fields that are not numbers (by label). */
export function planBody(form: PlanFormState): { body: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const limits: Record<string, number | null> = {};
  for (const { key } of quotaFields) {
    const raw = form.limits[key].trim();
    if (raw === "") limits[key] = null;
    else if (/^-?\d+(\.\d+)?$/.test(raw)) limits[key] = Number(raw);
    else errors[key] = "Enter a number, or leave empty for no limit";
  }
  for (const { key } of boundFields) {
    const raw = form.limits[key].trim();
    if (/^-?\d+$/.test(raw)) limits[key] = Number(raw);
    else errors[key] = "Enter a whole number";
  }
  return {
    body: {
      name: form.name.trim(),
      description: form.description.trim() || null,
      priceMonthly: form.priceMonthly.trim(),
      ...limits,
      allowAdvancedRagConfig: form.allowAdvancedRagConfig,
      isActive: form.isActive,
    },
    errors,
  };
}
