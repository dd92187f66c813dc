/**
 * Readiness checks, shared by the Fastify services' `/readyz` (health.ts) and the
 * worker's ops server: each check must resolve within the timeout; the answer names the
 * failing or hanging check, never its error text. Framework-free.
 */
export type ReadinessCheck = () => Promise<unknown>;
export type CheckResult = "ok" | "failed" | "timeout";

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    return await Promise.race([check().then(() => "ok" as const), timeout]);
  } catch {
    return "failed";
  } finally {
    clearTimeout(timer);
  }
}

export interface Readiness {
  ready: boolean;
  body: { status: "ok" | "unavailable"; checks: Record<string, CheckResult> };
}

/** Runs every check at once; not ready while shutting down, whatever the checks say. */
export async function checkReadiness(
  checks: Record<string, ReadinessCheck>,
  options: { timeoutMs: number; isShuttingDown?: () => boolean },
): Promise<Readiness> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((n) => runCheck(checks[n]!, options.timeoutMs)));
  const ready = results.every((r) => r === "ok") && !options.isShuttingDown?.();
  return {
    ready,
    body: { status: ready ? "ok" : "unavailable", checks: Object.fromEntries(names.map((n, i) => [n, results[i]!])) },
  };
}
