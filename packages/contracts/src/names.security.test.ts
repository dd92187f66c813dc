/**
 * Issue #12 item 11: every schema that takes a user-supplied name strips Unicode control
 * (Cc) and format (Cf) characters, so a name cannot display as something it is not.
 */
import { describe, expect, it } from "vitest";
import { createApiKeyBodySchema } from "./api-keys";
import { signupBodySchema } from "./auth";
import { createBotBodySchema, updateBotBodySchema } from "./bots";
import { addTextDocumentBodySchema, addUrlDocumentBodySchema } from "./documents";
import { sanitizeName } from "./names";
import { createPromptBodySchema, updatePromptBodySchema } from "./prompts";
import { createWorkspaceBodySchema, updateWorkspaceBodySchema } from "./workspaces";

describe("sanitizeName", () => {
  it.each([
    ["invoice\u202Etxt.exe", "invoicetxt.exe"], // right-to-left override
    ["\u2067report\u2069.pdf", "report.pdf"], // right-to-left isolate
    ["a\u200Eb\u200Fc\u061Cd", "abcd"], // direction marks
    ["pay\u200Bpal", "paypal"], // zero-width space
    ["\uFEFFname", "name"], // byte order mark
    ["soft\u00ADhyphen", "softhyphen"],
    ["tag\u{E0041}s", "tags"], // tag characters
    ["bell\u0007 and \u001b[31mescape", "bell and [31mescape"],
    ["two\nlines\r\n\tand a tab", "two lines and a tab"],
    ["  padded  ", "padded"],
  ])("%j -> %j", (input, expected) => {
    expect(sanitizeName(input)).toBe(expected);
  });

  it("keeps the joiners that Persian, Indic scripts and emoji need", () => {
    expect(sanitizeName("می\u200Cخواهم")).toBe("می\u200Cخواهم");
    expect(sanitizeName("👩\u200D💻 team")).toBe("👩\u200D💻 team");
  });
});

describe("name fields of the request schemas", () => {
  const name = "Q3\u202Efdp.exe";
  it.each([
    ["createBotBodySchema", () => createBotBodySchema.parse({ name }).name],
    ["updateBotBodySchema", () => updateBotBodySchema.parse({ name }).name],
    ["createWorkspaceBodySchema", () => createWorkspaceBodySchema.parse({ name }).name],
    ["updateWorkspaceBodySchema", () => updateWorkspaceBodySchema.parse({ name }).name],
    ["createPromptBodySchema", () => createPromptBodySchema.parse({ name, content: "x" }).name],
    ["updatePromptBodySchema", () => updatePromptBodySchema.parse({ name }).name],
    ["createApiKeyBodySchema", () => createApiKeyBodySchema.parse({ name, scopes: ["bots:read"] }).name],
    ["addTextDocumentBodySchema", () => addTextDocumentBodySchema.parse({ name, text: "x" }).name],
    ["addUrlDocumentBodySchema", () => addUrlDocumentBodySchema.parse({ name, url: "https://example.com" }).name],
    ["signupBodySchema", () => signupBodySchema.parse({ name, email: "a@example.com", password: "correct horse battery" }).name],
  ])("%s", (_schema, parse) => {
    expect(parse()).toBe("Q3fdp.exe");
  });

  it("counts the length after stripping, so an invisible-only name is empty", () => {
    expect(createBotBodySchema.safeParse({ name: "\u202E\u200B" }).success).toBe(false);
  });
});
