/**
 * Sites allowed to embed a bot's widget. Values are normalised to `scheme://host[:port]`
 * (lower-case, default port dropped, IDN as punycode); the only wildcard form is
 * `https://*.example.com`, matching sub-domains of example.com over https.
 */
import { z } from "zod";
import { timestamp, uuid } from "./common";
import { botParamsSchema } from "./bots";

export type NormalizedOrigin = { ok: true; origin: string } | { ok: false; reason: string };

const WILDCARD = /^https:\/\/\*\.(.+)$/i;

export function normalizeOrigin(input: string): NormalizedOrigin {
  const value = input.trim();
  const wildcard = WILDCARD.exec(value);
  if (wildcard) {
    const rest = normalizeOrigin(`https://${wildcard[1]}`);
    if (!rest.ok) return rest;
    const host = rest.origin.slice("https://".length);
    const hostname = host.replace(/:\d+$/, "");
    if (!hostname.includes(".") || /^[\d.]+$/.test(hostname) || hostname.startsWith("[")) {
      return { ok: false, reason: "a wildcard needs a domain with at least two labels, like https://*.example.com" };
    }
    return { ok: true, origin: `https://*.${host}` };
  }
  if (value.includes("*")) {
    return { ok: false, reason: "wildcards are only allowed as https://*.example.com" };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: "must be an origin like https://example.com" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: "scheme must be http or https" };
  }
  if (url.username || url.password) return { ok: false, reason: "must not contain credentials" };
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || /^https?:\/\/[^/]+\/./i.test(value)) {
    return { ok: false, reason: "must be an origin only, without path, query or fragment" };
  }
  if (!url.hostname) return { ok: false, reason: "must contain a host" };
  return { ok: true, origin: url.origin };
}

export const originValueSchema = z
  .string()
  .max(300)
  .transform((value, ctx) => {
    const result = normalizeOrigin(value);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.reason });
      return z.NEVER;
    }
    return result.origin;
  })
  .describe("scheme://host[:port], or https://*.example.com for sub-domains.");

export const originParamsSchema = botParamsSchema.extend({ originId: uuid });

export const allowedOriginSchema = z
  .object({ id: uuid, botId: uuid, origin: z.string(), createdAt: timestamp })
  .describe("AllowedOrigin");
export type AllowedOriginDto = z.infer<typeof allowedOriginSchema>;

export const addOriginBodySchema = z.strictObject({ origin: originValueSchema });
