import { describe, expect, it } from "vitest";
import { formatJson, metadataSummary, parseFilter, parseMetadata } from "./metadata-json";

describe("metadata and filter editors", () => {
  it("accepts metadata and filters the API accepts; empty text means none", () => {
    expect(parseMetadata('{"lang":"en","tags":["a","b"],"version":2}')).toEqual({ ok: true, value: { lang: "en", tags: ["a", "b"], version: 2 } });
    expect(parseMetadata("  ")).toEqual({ ok: true, value: {} });
    expect(parseFilter('{"eq":{"key":"lang","value":"en"}}')).toEqual({ ok: true, value: { eq: { key: "lang", value: "en" } } });
    expect(parseFilter("")).toEqual({ ok: true, value: null });
  });

  it("says what is wrong, in the API's words", () => {
    expect(parseMetadata("{lang: en}")).toMatchObject({ ok: false, error: expect.stringMatching(/^Not valid JSON/) });
    expect(parseMetadata('{"Lang":"en"}')).toEqual({ ok: false, error: 'Lang: "Lang" is not a valid key: 1-64 lower-case letters, digits or \'_\', starting with a letter' });
    expect(parseFilter('{"range":{"key":"n"}}')).toEqual({ ok: false, error: "range: range needs at least one of gte, gt, lte, lt" });
  });

  it("shows metadata as text", () => {
    expect(metadataSummary({ tags: ["a", "b"], lang: "en", n: 2 })).toBe("lang: en · n: 2 · tags: a, b");
    expect(formatJson({})).toBe("");
    expect(formatJson({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});
