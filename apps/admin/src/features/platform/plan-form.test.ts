import { describe, expect, it } from "vitest";
import { schemaResolver } from "../../lib/schema-form";
import { formFromPlan, newPlanFormSchema, planBody, type PlanFormState, type PlanFormValues } from "./plan-form";

/** What the new-plan form makes of `form`: the API body, or each refused field's message. */
async function submit(form: PlanFormState) {
  const { values, errors } = await schemaResolver(newPlanFormSchema)(form, undefined, { fields: {}, shouldUseNativeValidation: false });
  const messages = (e: Record<string, { message?: string } | undefined> | undefined) =>
    Object.fromEntries(Object.entries(e ?? {}).map(([key, error]) => [key, error?.message]));
  const { limits, ...top } = errors as Record<string, unknown>;
  const refused = { ...messages(top as Record<string, { message?: string }>), ...messages(limits as Record<string, { message?: string }>) };
  return { body: Object.keys(refused).length === 0 ? planBody(values as PlanFormValues) : null, refused };
}

describe("the plan form", () => {
  const form = { ...formFromPlan(null), code: "team", name: " Team " };

  it("sends an empty quota as no limit, and numbers as typed", async () => {
    const { body, refused } = await submit({ ...form, limits: { ...form.limits, maxBots: "", maxDocumentsPerBot: "5000", maxTotalDocumentStorageGb: "2.5" } });
    expect(refused).toEqual({});
    expect(body).toMatchObject({ name: "Team", description: null, maxBots: null, maxDocumentsPerBot: 5000, maxTotalDocumentStorageGb: 2.5, maxPdfPages: 500 });
  });

  it("refuses what is not a number, and what the API would refuse, in the API's words", async () => {
    const { body, refused } = await submit({ ...form, limits: { ...form.limits, maxBots: "-1", maxQueriesPerMonth: "lots", maxFileSizeMb: "1.5", maxPdfPages: "" } });
    expect(body).toBeNull();
    expect(refused).toEqual({
      maxBots: "bots cannot be negative",
      maxQueriesPerMonth: "Enter a number, or leave empty for no limit",
      maxFileSizeMb: "file size must be a whole number of MB",
      maxPdfPages: "Enter a whole number",
    });
  });

  it("checks a new plan's name, code and price as the API does", async () => {
    const { refused } = await submit({ ...form, name: "  ", code: "Team Plus", priceMonthly: "29.999" });
    expect(refused).toEqual({
      name: "Required.",
      code: "lower-case letters, digits and dashes, at most 32, e.g. team-plus",
      priceMonthly: 'a price like "29" or "29.00", at most 99999999.99',
    });
  });

  it("shows a plan's no-limit quotas as empty fields", async () => {
    const plan = {
      id: "7b0c7a4e-0000-4000-8000-000000000001",
      code: "unlimited",
      name: "Unlimited",
      description: null,
      priceMonthly: "0.00",
      maxBots: null,
      maxDocumentsPerBot: null,
      maxTotalDocumentStorageGb: null,
      maxFileSizeMb: null,
      maxQueriesPerMonth: null,
      maxRetrievalsPerMonth: null,
      maxDocProcessingJobsPerMonth: null,
      maxPagesPerSource: null,
      maxCrawlsPerMonth: null,
      maxPdfPages: 50_000,
      maxDocProcessingSeconds: 7_200,
      allowAdvancedRagConfig: true,
      isActive: true,
      isDefault: true,
      workspaceCount: 3,
      updatedAt: "2026-01-01T00:00:00.000Z",
    };
    const state = formFromPlan(plan);
    expect(state.limits).toMatchObject({ maxBots: "", maxRetrievalsPerMonth: "", maxPdfPages: "50000" });
    expect((await submit(state)).body).toMatchObject({ maxBots: null, maxDocumentsPerBot: null, maxPdfPages: 50_000, description: null });
  });
});
