import { describe, expect, it } from "vitest";
import { emptySourceForm, sourceFormSchema } from "./source-form";

describe("the add-source form", () => {
  it("turns one pattern per line into the API's lists and numbers into numbers", () => {
    const parsed = sourceFormSchema.parse({ ...emptySourceForm, url: "https://docs.example.com/", includePatterns: " /docs/**\n\n/guides/*\n", maxPages: "20" });
    expect(parsed).toMatchObject({ url: "https://docs.example.com/", includePatterns: ["/docs/**", "/guides/*"], excludePatterns: [], maxPages: 20, maxDepth: 3 });
  });

  it("refuses what the API would, with the API's words", () => {
    const result = sourceFormSchema.safeParse({ ...emptySourceForm, url: "https://docs.example.com/", includePatterns: "docs/**", maxPages: "0" });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toContain("maxPages: Must be at least 1.");
    expect(messages.some((m) => m.startsWith("includePatterns.0:") && m.includes("path pattern starts with"))).toBe(true);
  });
});
