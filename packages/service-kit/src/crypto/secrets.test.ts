import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { byokAad, createSecretBox, parseKeyRing } from "./secrets";

const key = () => randomBytes(32).toString("base64");

describe("secret box (AES-256-GCM with key ids)", () => {
  const oldKey = key();
  const newKey = key();
  const aad = byokAad("ws-1", "llm");

  it("round-trips and never contains the plaintext", () => {
    const box = createSecretBox(parseKeyRing(`k1:${oldKey}`));
    const sealed = box.seal("sk-live-secret-value", aad);
    expect(sealed).toMatch(/^v1\.k1\./);
    expect(sealed).not.toContain("secret");
    expect(box.open(sealed, aad)).toBe("sk-live-secret-value");
    expect(box.seal("same", aad)).not.toBe(box.seal("same", aad));
  });

  it("refuses ciphertext moved to another workspace or field, or tampered with", () => {
    const box = createSecretBox(parseKeyRing(`k1:${oldKey}`));
    const sealed = box.seal("sk-abc", aad);
    expect(() => box.open(sealed, byokAad("ws-2", "llm"))).toThrow();
    expect(() => box.open(sealed, byokAad("ws-1", "embedding"))).toThrow();
    const parts = sealed.split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => box.open(parts.join("."), aad)).toThrow();
  });

  it("rotates: the first key seals, older keys still open", () => {
    const before = createSecretBox(parseKeyRing(`k1:${oldKey}`)).seal("sk-old", aad);
    const rotated = createSecretBox(parseKeyRing(`k2:${newKey},k1:${oldKey}`));
    expect(rotated.open(before, aad)).toBe("sk-old");
    expect(rotated.needsRotation(before)).toBe(true);
    expect(rotated.seal("sk-new", aad)).toMatch(/^v1\.k2\./);
    expect(() => createSecretBox(parseKeyRing(`k2:${newKey}`)).open(before, aad)).toThrow(/unknown key "k1"/);
  });

  it("names the bad entry of a malformed key ring", () => {
    expect(() => parseKeyRing("")).toThrow(/no keys/);
    expect(() => parseKeyRing("k1:c2hvcnQ=")).toThrow(/"k1" must be 32 bytes/);
    expect(() => parseKeyRing(`k1:${oldKey},k1:${newKey}`)).toThrow(/appears twice/);
    expect(() => parseKeyRing(oldKey)).toThrow(/<keyId>:<base64 key>/);
  });
});
