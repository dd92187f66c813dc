import { describe, expect, it } from "vitest";
import { byokAad, createSecretBox, parseKeyRing } from "./crypto/secrets";
import { openWorkspaceKey, WorkspaceKeyError } from "./workspace-keys";

const box = createSecretBox(parseKeyRing(`k1:${Buffer.alloc(32, 1).toString("base64")}`));

describe("openWorkspaceKey", () => {
  it("opens a key sealed for the same workspace and field", () => {
    expect(openWorkspaceKey(box, box.seal("sk-llm", byokAad("ws-1", "llm")), "ws-1", "llm")).toBe("sk-llm");
  });

  it.each([
    ["llm", "LLM_KEY_UNREADABLE", "model"],
    ["embedding", "EMBEDDING_KEY_UNREADABLE", "embedding"],
    ["rerank", "RERANK_KEY_UNREADABLE", "reranker"],
  ] as const)("fails the same way for every field (%s): a key sealed for another workspace cannot be read", (field, code, name) => {
    const sealed = box.seal("sk-other", byokAad("ws-other", field));
    const run = () => openWorkspaceKey(box, sealed, "ws-1", field);
    expect(run).toThrow(WorkspaceKeyError);
    expect(run).toThrow(`The workspace's ${name} API key cannot be decrypted`);
    try {
      run();
    } catch (error) {
      expect(error).toMatchObject({ code, statusCode: 500, expose: true, retryable: false });
    }
  });

  it("says the server has no key ring", () => {
    expect(() => openWorkspaceKey(null, "anything", "ws-1", "rerank")).toThrow(
      expect.objectContaining({ code: "ENCRYPTION_NOT_CONFIGURED", message: expect.stringContaining("DOCENT_ENCRYPTION_KEYS is not set") }),
    );
  });
});
