/**
 * `runService`: the one process bootstrap of every Docent service (api, chat, worker).
 *
 * 1. Parses env once; an invalid or missing setting prints one line per variable and
 *    exits 78 (EX_CONFIG), never a stack trace.
 * 2. Creates the service's logger and calls `start`, which connects and begins serving;
 *    a start-up failure (database unreachable, schema not migrated...) is logged with a
 *    plain message and exits 1.
 * 3. On SIGTERM or SIGINT, or when the process that launched it goes away (`pnpm start`
 *    exits on SIGTERM without passing the signal on), it runs the service's `stop` once:
 *    stop taking work, finish what is in flight, close connections. It exits 0 when that
 *    completes and 1 if it takes longer than SHUTDOWN_TIMEOUT_MS, which must stay below
 *    the orchestrator's grace period (compose: stop_grace_period).
 */
import { z } from "zod";
import { EnvError, parseEnv } from "./env";
import { createLogger, type Logger } from "./logger";

/** Exit status for a configuration error (sysexits.h EX_CONFIG). */
export const EXIT_CONFIG = 78;

export const shutdownTimeoutField = z.coerce.number().int().min(1000).max(600_000).default(25_000);

export interface ServiceContext<Env> {
  env: Env;
  logger: Logger;
  /** Aborted when shutdown begins; long-running work checks it at safe points. */
  shutdownSignal: AbortSignal;
  isShuttingDown(): boolean;
}

export interface RunningService {
  /** Stop taking work, finish or hand back what is in flight, close connections. */
  stop(): Promise<void>;
}

/** An error whose message is enough to act on; logged without its stack. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StartupError";
  }
}

export interface RunServiceOptions<S extends z.ZodObject> {
  /** Labels every log line (`service`). */
  name: string;
  /** Must include SHUTDOWN_TIMEOUT_MS (use `shutdownTimeoutField`) and LOG_LEVEL. */
  envSchema: S;
  start(context: ServiceContext<z.infer<S>>): Promise<RunningService>;
  /** How often to check that the launching process is still there; 0 disables. */
  parentCheckIntervalMs?: number;
}

type ServiceEnv = { SHUTDOWN_TIMEOUT_MS: number; LOG_LEVEL?: string };

export async function runService<S extends z.ZodObject>(options: RunServiceOptions<S>): Promise<void> {
  let env: z.infer<S> & ServiceEnv;
  try {
    env = parseEnv(options.envSchema) as z.infer<S> & ServiceEnv;
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`docent ${options.name}: ${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  const logger = createLogger({ service: options.name, level: env.LOG_LEVEL as Logger["level"] | undefined });
  const shutdown = new AbortController();

  process.on("unhandledRejection", (reason) => {
    logger.error({ err: reason }, "unhandled promise rejection");
  });
  // Node would print the stack and exit 1; the same exit, with the error as a log line.
  process.on("uncaughtException", (error) => {
    logger.fatal({ err: error }, `uncaught exception: ${describeCause(error)}`);
    process.exit(1);
  });

  let service: RunningService;
  try {
    service = await options.start({
      env,
      logger,
      shutdownSignal: shutdown.signal,
      isShuttingDown: () => shutdown.signal.aborted,
    });
  } catch (error) {
    if (error instanceof StartupError) logger.fatal({ cause: describeCause(error.cause) }, error.message);
    else logger.fatal({ err: error }, `${options.name} failed to start: ${describeCause(error)}`);
    process.exit(1);
  }

  const stop = async (reason: string) => {
    if (shutdown.signal.aborted) return;
    shutdown.abort();
    logger.info({ reason, timeoutMs: env.SHUTDOWN_TIMEOUT_MS }, "shutting down");
    const started = Date.now();
    const force = setTimeout(() => {
      logger.error({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS }, "shutdown timed out; exiting");
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    try {
      await service.stop();
      logger.info({ ms: Date.now() - started }, "shutdown complete");
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    }
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
  watchParent(options.parentCheckIntervalMs ?? 1000, () => void stop("launcher exited"));
}

/**
 * Package managers that start us (`pnpm start`) exit on SIGTERM without passing it on,
 * which would leave this process serving with nobody to stop it. When our parent changes
 * (we were re-parented to init or a subreaper), shut down as if signalled. Not used when
 * we are PID 1 or were started by init directly (containers, systemd).
 */
function watchParent(intervalMs: number, onGone: () => void): void {
  const parent = process.ppid;
  if (intervalMs <= 0 || process.pid === 1 || parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
}

/** The most useful one-line description of a start-up failure (postgres/ioredis errors nest). */
function describeCause(error: unknown): string {
  if (error === undefined) return "";
  if (error instanceof AggregateError && error.errors.length > 0) return describeCause(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
