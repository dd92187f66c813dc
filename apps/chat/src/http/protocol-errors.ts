/**
 * The OpenAI-compatible and MCP routes answer failures in their protocol's own error body,
 * not the platform's. Declaring it for every error status registerOpenApi would otherwise
 * fill with the platform's body documents them truthfully, and serialises them as sent.
 */
import type { z } from "zod";

const ERROR_STATUSES = [400, 401, 403, 404, 413, 415, 429, 500, 503] as const;

export const protocolErrors = <T extends z.ZodType>(schema: T): Record<(typeof ERROR_STATUSES)[number], T> =>
  Object.fromEntries(ERROR_STATUSES.map((status) => [status, schema])) as Record<(typeof ERROR_STATUSES)[number], T>;
