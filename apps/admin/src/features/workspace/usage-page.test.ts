import { describe, expect, it } from "vitest";
import { meterPercent, meterTone } from "./usage-page";

describe("usage meters", () => {
  it("warn near the limit and over it, a zero limit included", () => {
    expect(meterTone({ used: 5, limit: 10 })).toBeUndefined();
    expect(meterTone({ used: 9, limit: 10 })).toBe("danger");
    expect(meterTone({ used: 3, limit: 2 })).toBe("danger");
    expect(meterTone({ used: 1, limit: 0 })).toBe("danger");
    expect(meterTone({ used: 0, limit: 0 })).toBeUndefined();
    expect(meterTone({ used: 1_000_000, limit: null })).toBeUndefined();
  });

  it("measure the share used, past 100% when over", () => {
    expect(meterPercent({ used: 3, limit: 2 })).toBe(150);
    expect(meterPercent({ used: 1, limit: 0 })).toBe(100);
    expect(meterPercent({ used: 7, limit: null })).toBe(0);
  });
});
