/** Liveness and readiness answers. */
import { z } from "zod";

export const healthResponseSchema = z.object({ status: z.literal("ok") });
export const readinessResponseSchema = z.object({
  status: z.enum(["ok", "unavailable"]),
  checks: z.record(z.string(), z.enum(["ok", "failed", "timeout"])),
});
