/**
 * A PostgreSQL cluster (with pgvector, the docent role and database, as
 * infra/setup-debian.sh makes them) and a Redis (AOF on, noeviction, as in compose) that
 * belong to the fault suite alone, so it may stop and restart them: the shared services
 * other test runs use are never touched. Debian's postgresql-common tools make the
 * cluster (pg_createcluster, pg_ctlcluster); they need root, or sudo without a password.
 *
 * `OwnServicesInfo` is plain data, so test files (in other processes) can control the
 * services the global setup started.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface OwnServicesInfo {
  pgVersion: string;
  cluster: string;
  pgPort: number;
  redisPort: number;
  /** Redis's data directory (its AOF), logs and pid file. */
  redisDir: string;
}

const isRoot = process.getuid?.() === 0;

function run(command: string, args: string[], options: { asPostgres?: boolean; input?: string } = {}): string {
  let argv: string[];
  if (options.asPostgres) argv = isRoot ? ["runuser", "-u", "postgres", "--", command, ...args] : ["sudo", "-n", "-u", "postgres", command, ...args];
  else argv = isRoot ? [command, ...args] : ["sudo", "-n", command, ...args];
  try {
    return execFileSync(argv[0]!, argv.slice(1), { encoding: "utf8", input: options.input, stdio: ["pipe", "pipe", "pipe"] });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${argv.join(" ")} failed: ${e.stderr?.trim() || e.message}`, { cause: error });
  }
}

/** The newest installed PostgreSQL major version that has pgvector. */
export function pgvectorVersion(): string {
  if (process.env.FAULTS_PG_VERSION) return process.env.FAULTS_PG_VERSION;
  const versions = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql").filter((v) => existsSync(`/usr/share/postgresql/${v}/extension/vector.control`))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) {
    throw new Error(
      "The fault suite needs PostgreSQL with pgvector installed the Debian way (postgresql-common's " +
        "pg_createcluster, pgvector under /usr/share/postgresql/<version>/extension); `sudo bash infra/setup-debian.sh` installs both.",
    );
  }
  return newest;
}

export const databaseUrlOf = (info: OwnServicesInfo) => `postgres://docent:docent@127.0.0.1:${info.pgPort}/docent`;
export const redisUrlOf = (info: OwnServicesInfo) => `redis://127.0.0.1:${info.redisPort}`;

async function until(check: () => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const postgresReady = (info: OwnServicesInfo) => {
  try {
    execFileSync("pg_isready", ["-q", "-h", "127.0.0.1", "-p", String(info.pgPort)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

const redisAnswers = (info: OwnServicesInfo) => {
  try {
    return execFileSync("redis-cli", ["-p", String(info.redisPort), "ping"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() === "PONG";
  } catch {
    return false;
  }
};

/** Stops PostgreSQL the way a restart does: sessions are terminated (57P01), then it exits. */
export async function stopPostgres(info: OwnServicesInfo): Promise<void> {
  run("pg_ctlcluster", [info.pgVersion, info.cluster, "stop", "-m", "fast"]);
  await until(() => !postgresReady(info), "PostgreSQL to stop");
}

export async function startPostgres(info: OwnServicesInfo): Promise<void> {
  run("pg_ctlcluster", [info.pgVersion, info.cluster, "start"]);
  await until(() => postgresReady(info), "PostgreSQL to accept connections");
}

/** Stops Redis cleanly (its AOF is flushed), as `docker compose restart redis` would. */
export async function stopRedis(info: OwnServicesInfo): Promise<void> {
  try {
    execFileSync("redis-cli", ["-p", String(info.redisPort), "shutdown"], { stdio: "ignore" });
  } catch {
    // redis-cli reports the dropped connection of a successful shutdown as an error.
  }
  await until(() => !redisAnswers(info), "Redis to stop");
}

export async function startRedis(info: OwnServicesInfo): Promise<void> {
  execFileSync("redis-server", [
    "--port", String(info.redisPort),
    "--bind", "127.0.0.1",
    "--daemonize", "yes",
    "--dir", info.redisDir,
    "--appendonly", "yes",
    "--save", "",
    "--maxmemory-policy", "noeviction",
    "--pidfile", join(info.redisDir, "redis.pid"),
    "--logfile", join(info.redisDir, "redis.log"),
  ]);
  await until(() => redisAnswers(info), "Redis to answer");
}

/** Creates and starts both; an existing cluster of the same name (a crashed run's) is replaced. */
export async function createOwnServices(options: { pgPort: number; redisPort: number; dir: string }): Promise<OwnServicesInfo> {
  const info: OwnServicesInfo = {
    pgVersion: pgvectorVersion(),
    cluster: `docent_faults_${options.pgPort}`,
    pgPort: options.pgPort,
    redisPort: options.redisPort,
    redisDir: join(options.dir, `redis-${options.redisPort}`),
  };
  if (existsSync(`/etc/postgresql/${info.pgVersion}/${info.cluster}`)) {
    run("pg_dropcluster", [info.pgVersion, info.cluster, "--stop"]);
  }
  run("pg_createcluster", [info.pgVersion, info.cluster, "--port", String(info.pgPort), "--start"]);
  const psql = (database: string, statement: string) =>
    run("psql", ["-p", String(info.pgPort), "-d", database, "-v", "ON_ERROR_STOP=1", "-qtA", "-c", statement], { asPostgres: true });
  psql("postgres", "create role docent login createdb password 'docent'");
  psql("postgres", "create database docent owner docent");
  // Superuser-only, so done here; migrations find it (CREATE EXTENSION IF NOT EXISTS).
  for (const database of ["docent", "template1"]) psql(database, "set client_min_messages = warning; create extension if not exists vector");

  if (redisAnswers(info)) await stopRedis(info);
  rmSync(info.redisDir, { recursive: true, force: true });
  mkdirSync(info.redisDir, { recursive: true });
  await startRedis(info);
  return info;
}

export async function destroyOwnServices(info: OwnServicesInfo): Promise<void> {
  if (redisAnswers(info)) await stopRedis(info);
  rmSync(info.redisDir, { recursive: true, force: true });
  run("pg_dropcluster", [info.pgVersion, info.cluster, "--stop"]);
}
