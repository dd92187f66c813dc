import { errorCodes, errorStatuses } from "@docent/contracts/errors";
import { describe, expect, it } from "vitest";
import { AppError, ConflictError, ForbiddenError, NotFoundError, PaymentRequiredError, RateLimitedError, UnauthorizedError } from "./errors";

describe("the error-code table", () => {
  it("gives every code one HTTP error status", () => {
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
    for (const code of errorCodes) {
      expect(errorStatuses[code]).toBeGreaterThanOrEqual(400);
      expect(errorStatuses[code]).toBeLessThan(600);
    }
  });

  it("decides the status of every error from its code, whatever class throws it", () => {
    expect(new ForbiddenError("no").statusCode).toBe(403);
    expect(new ForbiddenError("no", { code: "CSRF_FAILED" }).statusCode).toBe(403);
    expect(new UnauthorizedError("who?", { code: "INVALID_API_KEY" }).statusCode).toBe(401);
    expect(new ConflictError("taken", { code: "ORIGIN_EXISTS" }).statusCode).toBe(409);
    expect(new NotFoundError("Bot").statusCode).toBe(404);
    expect(new AppError("budget", { code: "DAILY_BUDGET_EXHAUSTED" }).statusCode).toBe(429);
    expect(new RateLimitedError(3)).toMatchObject({ statusCode: 429, code: "RATE_LIMITED", headers: { "retry-after": "3" } });
  });

  it("answers a plan limit with 402 QUOTA_EXCEEDED in every service", () => {
    expect(new PaymentRequiredError("Limit reached")).toMatchObject({ statusCode: 402, code: "QUOTA_EXCEEDED" });
    expect(errorStatuses.QUOTA_EXCEEDED).toBe(402);
  });

  it("hides the message of a 5xx unless it is written for people", () => {
    expect(new AppError("db down", { code: "INTERNAL" }).expose).toBe(false);
    expect(new AppError("Provider failed", { code: "LLM_UNAVAILABLE", expose: true }).expose).toBe(true);
  });
});
