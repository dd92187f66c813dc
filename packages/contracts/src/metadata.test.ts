import { describe, expect, it } from "vitest";
import { documentMetadataSchema, metadataFilterSchema, type MetadataFilter } from "./metadata";

const problems = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);

describe("document metadata", () => {
  it("accepts strings, numbers and string lists under valid keys, reserved keys included", () => {
    const metadata = { source: "https://example.com", path: "/docs/a", lang: "en", updated_at: "2026-11-30", version: 3, tags: ["a", "b"] };
    expect(documentMetadataSchema.parse(metadata)).toEqual(metadata);
  });

  it("names the bad key, value or limit", () => {
    expect(problems(documentMetadataSchema.safeParse({ "Bad-Key": "x" })).join()).toMatch(/Bad-Key: "Bad-Key" is not a valid key/);
    expect(problems(documentMetadataSchema.safeParse({ nested: { a: 1 } }))[0]).toMatch(/^nested/);
    expect(problems(documentMetadataSchema.safeParse({ flag: true }))[0]).toMatch(/^flag/);
    expect(problems(documentMetadataSchema.safeParse({ n: Number.POSITIVE_INFINITY }))[0]).toMatch(/^n/);
    expect(problems(documentMetadataSchema.safeParse({ tags: [1] }))[0]).toMatch(/^tags/);
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]));
    expect(problems(documentMetadataSchema.safeParse(many))).toContain(": metadata has 33 keys; the limit is 32");
    const big = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "x".repeat(1000)]));
    expect(problems(documentMetadataSchema.safeParse(big)).join()).toMatch(/bytes as JSON; the limit is 16384/);
  });
});

describe("metadata filter", () => {
  it("accepts every operator, nested", () => {
    const filter: MetadataFilter = {
      and: [
        { eq: { key: "lang", value: "en" } },
        { in: { key: "product", values: ["a", 2] } },
        { or: [{ range: { key: "version", gte: 2, lt: 5 } }, { range: { key: "updated_at", gt: "2026-01-01" } }] },
      ],
    };
    expect(metadataFilterSchema.parse(filter)).toEqual(filter);
  });

  it.each<[string, unknown, RegExp]>([
    ["no operator", {}, /needs one operator/],
    ["two operators", { eq: { key: "a", value: 1 }, in: { key: "a", values: [1] } }, /exactly one operator; this one has eq and in/],
    ["unknown operator", { like: { key: "a", value: "x" } }, /like|Unrecognized/i],
    ["bad key", { eq: { key: "a'; drop table x;--", value: 1 } }, /eq\.key: a metadata key/],
    ["empty in", { in: { key: "a", values: [] } }, /in\.values: in needs at least one value/],
    ["range without bounds", { range: { key: "a" } }, /range needs at least one of/],
    ["mixed range bounds", { range: { key: "a", gte: 1, lt: "z" } }, /all numbers or all strings/],
    ["gte with gt", { range: { key: "a", gte: 1, gt: 2 } }, /gte or gt/],
    ["empty and", { and: [] }, /and needs at least one filter/],
    ["bad child", { or: [{ eq: { key: "a", value: 1 } }, { eq: { key: "a" } }] }, /^or\.1\.eq\.value/],
    ["object value", { eq: { key: "a", value: { x: 1 } } }, /eq\.value/],
  ])("refuses %s and names the problem", (_, filter, expected) => {
    const result = metadataFilterSchema.safeParse(filter);
    expect(result.success).toBe(false);
    expect(problems(result).join("\n")).toMatch(expected);
  });

  it("bounds depth and size", () => {
    let deep: MetadataFilter = { eq: { key: "a", value: 1 } };
    for (let i = 0; i < 5; i++) deep = { and: [deep] };
    expect(problems(metadataFilterSchema.safeParse(deep)).join()).toMatch(/nests 6 levels deep; the limit is 5/);
    const wide = { or: Array.from({ length: 3 }, () => ({ and: Array.from({ length: 30 }, () => ({ eq: { key: "a", value: 1 } })) })) };
    expect(problems(metadataFilterSchema.safeParse(wide)).join()).toMatch(/94 operators; the limit is 64/);
  });
});
