import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "./password";

const cheap = { N: 1024, r: 8, p: 1 };

describe("password hashing", () => {
  it("verifies the right password and rejects others", async () => {
    const hash = await hashPassword("correct horse battery", cheap);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same", cheap), hashPassword("same", cheap)]);
    expect(a).not.toBe(b);
  });

  it("treats Unicode-equivalent passwords alike (NFKC)", async () => {
    const hash = await hashPassword("caf\u00e9", cheap);
    expect(await verifyPassword("cafe\u0301", hash)).toBe(true);
  });

  it("returns false for malformed or hostile hashes instead of throwing", async () => {
    for (const bad of ["", "bcrypt$x", "scrypt$3$8$1$AAAA$BBBB", "scrypt$1099511627776$8$1$AAAA$BBBB", "scrypt$1024$8$1$AAAA$short"]) {
      expect(await verifyPassword("x", bad)).toBe(false);
    }
  });

  it("asks for a rehash when the stored cost is below the current one", async () => {
    const weak = await hashPassword("pw", cheap);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(weak, cheap)).toBe(false);
  });
});
