/**
 * Random secrets and their lookup hashes: session tokens and API keys are high-entropy,
 * so a fast SHA-256 is the right at-rest form (unlike passwords).
 */
import { createHash, randomBytes } from "node:crypto";

import { API_KEY_PREFIX } from "@docent/contracts/api-keys";

export { API_KEY_PREFIX };
/** How much of the secret the `api_keys.prefix` column shows ("dk_live_" + 8 chars). */
const VISIBLE_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export const sha256Hex = (value: string) => createHash("sha256").update(value).digest("hex");

/** 256 bits, base64url: the session cookie value. */
export const newSessionToken = () => randomBytes(32).toString("base64url");

function randomBase62(length: number): string {
  // Rejection sampling keeps every character equally likely.
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** A new API key: `dk_live_` + 40 base62 characters (~238 bits). */
export function newApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = `${API_KEY_PREFIX}${randomBase62(40)}`;
  return { secret, prefix: secret.slice(0, VISIBLE_PREFIX_LENGTH), hash: sha256Hex(secret) };
}

export const looksLikeApiKey = (value: string) => /^dk_live_[0-9A-Za-z]{40}$/.test(value);

/** Short unguessable public id for bots (URLs, the widget's data-bot attribute). */
export const newPublicId = () => randomBase62(20);

/** "sk-...abcd": enough to recognise a key, never enough to use it. */
export function secretHint(secret: string): string {
  const value = secret.trim();
  if (value.length < 12) return `...${value.slice(-2)}`;
  const dash = value.indexOf("-");
  const head = dash > 0 && dash <= 5 ? value.slice(0, dash + 1) : value.slice(0, 3);
  return `${head}...${value.slice(-4)}`;
}
