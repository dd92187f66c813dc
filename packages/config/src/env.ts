/**
 * Parses process environment with a zod schema once, at start-up. An invalid value stops
 * the process with a message that names every offending variable, instead of failing
 * later deep inside a request.
 *
 * Any variable of the schema may instead be given as `<NAME>_FILE`, the path of a file
 * holding the value (Docker and Kubernetes secrets); the variable itself wins when both
 * are set.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

export class EnvError extends Error {
  constructor(public readonly issues: { variable: string; message: string }[]) {
    super(
      `Invalid environment:\n${issues.map((i) => `  - ${i.variable}: ${i.message}`).join("\n")}`,
    );
    this.name = "EnvError";
  }
}

export function parseEnv<S extends z.ZodObject>(
  schema: S,
  source: Record<string, string | undefined> = process.env,
): z.infer<S> {
  // Treat empty strings as unset, so `FOO=` in a .env file falls back to the default.
  const cleaned: Record<string, string> = Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""),
  );
  const fileIssues: { variable: string; message: string }[] = [];
  for (const name of Object.keys(schema.shape)) {
    const path = cleaned[`${name}_FILE`];
    if (cleaned[name] !== undefined || path === undefined) continue;
    try {
      const value = readFileSync(path, "utf8").trim();
      if (value !== "") cleaned[name] = value;
    } catch (error) {
      fileIssues.push({ variable: `${name}_FILE`, message: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? error})` });
    }
  }
  if (fileIssues.length > 0) throw new EnvError(fileIssues);
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({
        variable: issue.path.join(".") || "(root)",
        message: issue.message,
      })),
    );
  }
  return result.data;
}

/** Building blocks shared by every service's env schema. */
export const envFields = {
  nodeEnv: z.enum(["development", "test", "production"]).default("development"),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .default("postgres://docent:docent@127.0.0.1:5432/docent"),
  databasePoolMax: z.coerce.number().int().min(1).max(200).default(10),
  /** Longest wait for a new database connection, in ms: past it the request fails (503). */
  databaseConnectTimeoutMs: z.coerce.number().int().min(100).max(120_000).default(5000),
  /** Server-side limit on one SQL statement, in ms (0: none); each service sets its default. */
  databaseStatementTimeoutMs: (fallback: number) => z.coerce.number().int().min(0).default(fallback),
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .default("redis://127.0.0.1:6379"),
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  booleanFlag: (fallback: boolean) =>
    z
      .enum(["true", "false", "1", "0"])
      .default(fallback ? "true" : "false")
      .transform((v) => v === "true" || v === "1"),
};

/** Exit with the env error printed plainly; used by each service's entry point. */
export function loadEnvOrExit<S extends z.ZodObject>(schema: S): z.infer<S> {
  try {
    return parseEnv(schema);
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
