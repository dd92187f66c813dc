/**
 * CSRF protection for cookie-authenticated mutations. The token is an HMAC of the session
 * token, so it needs no storage, changes with every session, and cannot be computed by a
 * page that cannot read the httpOnly cookie. The admin app gets it from login and
 * /auth/me and sends it as `x-csrf-token`. Bearer-key requests are exempt: browsers never
 * attach Authorization headers on their own.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const csrfTokenFor = (sessionToken: string) =>
  createHmac("sha256", sessionToken).update("docent-csrf-v1").digest("base64url");

export const isSafeMethod = (method: string) => SAFE_METHODS.has(method.toUpperCase());

export function csrfTokenMatches(expected: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
