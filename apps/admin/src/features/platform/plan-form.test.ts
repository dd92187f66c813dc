import { describe, expect, it } from "vitest";
import { formFromPlan, planBody } from "./plan-form";

describe("the plan form", () => {
  const form = formFromPlan(null);

  it("sends an empty quota as no limit, and numbers as typed", () => {
    const { body, errors } = planBody({ ...form, name: " Team ", limits: { ...form.limits, maxBots: "", maxDocumentsPerBot: "5000", maxTotalDocumentStorageGb: "2.5" } });
    expect(errors).toEqual({});
    expect(body).toMatchObject({ name: "Team", maxBots: null, maxDocumentsPerBot: 5000, maxTotalDocumentStorageGb: 2.5, maxPdfPages: 500 });
  });

  it("lets the API judge negative numbers, and stops what is not a number here", () => {
    const { body, errors } = planBody({ ...form, limits: { ...form.limits, maxBots: "-1", maxQueriesPerMonth: "lots", maxPdfPages: "" } });
    expect(body.maxBots).toBe(-1);
    expect(errors).toEqual({ maxQueriesPerMonth: "Enter a number, or leave empty for no limit", maxPdfPages: "Enter a whole number" });
  });

  it("shows a plan's no-limit quotas as empty fields", () => {
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
    expect(planBody(state).body).toMatchObject({ maxBots: null, maxDocumentsPerBot: null, maxPdfPages: 50_000, description: null });
  });
});
