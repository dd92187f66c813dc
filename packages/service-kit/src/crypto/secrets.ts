/**
 * Application-level encryption of stored secrets (BYOK provider keys): AES-256-GCM with a
 * key ring from env, e.g. DOCENT_ENCRYPTION_KEYS="k2:<base64 32 bytes>,k1:<...>". The first
 * key seals new values; every listed key can open. Ciphertext format:
 * "v1.<keyId>.<iv b64url>.<tag b64url>.<ciphertext b64url>". Callers pass associated data
 * (e.g. `byokAad(workspaceId, "llm")`) so a ciphertext copied to another tenant or column
 * fails to open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { z } from "zod";

export interface KeyRing {
  primaryKeyId: string;
  keys: Map<string, Buffer>;
}

export class KeyRingError extends Error {}

/** Parses "kid:base64,kid:base64"; throws naming the bad entry. */
export function parseKeyRing(value: string): KeyRing {
  const keys = new Map<string, Buffer>();
  let primaryKeyId: string | undefined;
  for (const entry of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const colon = entry.indexOf(":");
    const id = entry.slice(0, colon);
    if (colon <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      throw new KeyRingError(`entry "${entry.slice(0, 8)}..." must look like "<keyId>:<base64 key>"`);
    }
    const key = Buffer.from(entry.slice(colon + 1), "base64");
    if (key.length !== 32) throw new KeyRingError(`key "${id}" must be 32 bytes of base64 (got ${key.length})`);
    if (keys.has(id)) throw new KeyRingError(`key id "${id}" appears twice`);
    keys.set(id, key);
    primaryKeyId ??= id;
  }
  if (!primaryKeyId) throw new KeyRingError("no keys given");
  return { primaryKeyId, keys };
}

export const byokAad = (workspaceId: string, field: "llm" | "embedding" | "rerank") => `tenant_settings:${workspaceId}:${field}`;

export interface SecretBox {
  seal(plaintext: string, aad: string): string;
  open(ciphertext: string, aad: string): string;
  /** Whether the ciphertext was sealed by an older key and should be re-sealed. */
  needsRotation(ciphertext: string): boolean;
}

export function createSecretBox(ring: KeyRing): SecretBox {
  return {
    seal(plaintext, aad) {
      const key = ring.keys.get(ring.primaryKeyId)!;
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(aad));
      const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ["v1", ring.primaryKeyId, iv.toString("base64url"), tag.toString("base64url"), ct.toString("base64url")].join(".");
    },
    open(ciphertext, aad) {
      const [version, keyId, iv, tag, ct] = ciphertext.split(".");
      if (version !== "v1" || !keyId || !iv || !tag || ct === undefined) throw new KeyRingError("malformed ciphertext");
      const key = ring.keys.get(keyId);
      if (!key) throw new KeyRingError(`ciphertext sealed with unknown key "${keyId}"`);
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
    },
    needsRotation(ciphertext) {
      return ciphertext.split(".")[1] !== ring.primaryKeyId;
    },
  };
}

/**
 * DOCENT_ENCRYPTION_KEYS in a service's env schema: optional, and when set it must parse
 * as a key ring, so a malformed value stops start-up with a message naming the problem.
 */
export const encryptionKeysEnvField = z
  .string()
  .optional()
  .superRefine((value, ctx) => {
    if (value === undefined) return;
    try {
      parseKeyRing(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  });

/** A fresh key ring entry, "k<yyyymmddhhmmss>:<base64 32 random bytes>". */
export function generateKeyEntry(now = new Date()): string {
  const id = `k${now.toISOString().replace(/\D/g, "").slice(0, 14)}`;
  return `${id}:${randomBytes(32).toString("base64")}`;
}
