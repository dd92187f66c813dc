import { describe, expect, it } from "vitest";
import { describeDelivery } from "./webhooks-page";

const base = { status: "PENDING" as const, responseStatus: null, attempts: 0, nextAttemptAt: null, lastError: null };

describe("describeDelivery", () => {
  it("tells queued, retrying, delivered and failed deliveries apart, with why", () => {
    expect(describeDelivery(base)).toMatchObject({ label: "Queued", tone: "info" });
    const retrying = describeDelivery({ ...base, attempts: 2, responseStatus: 503, lastError: "The receiver answered 503.", nextAttemptAt: new Date(Date.now() + 60_000).toISOString() });
    expect(retrying.label).toBe("Retrying");
    expect(retrying.detail).toMatch(/^The receiver answered 503\. Next attempt /);
    expect(describeDelivery({ ...base, status: "SUCCEEDED", attempts: 3, responseStatus: 200 })).toEqual({ label: "Delivered", tone: "success", detail: "HTTP 200, attempt 3" });
    expect(describeDelivery({ ...base, status: "FAILED", attempts: 1, lastError: "10.0.0.1 is a private or internal network address" })).toMatchObject({
      label: "Failed",
      tone: "danger",
      detail: "10.0.0.1 is a private or internal network address",
    });
  });
});
