/**
 * Where the tests' PostgreSQL and Redis come from: DATABASE_URL / REDIS_URL when set;
 * otherwise the documented local defaults (what infra/setup-debian.sh creates) when they
 * answer; otherwise, if a Docker engine is reachable, testcontainers starts pgvector and
 * redis; otherwise the run stops with a message saying what to set.
 */
import { existsSync } from "node:fs";
import { Socket } from "node:net";
import { envFields } from "@docent/config/env";

export interface TestServices {
  databaseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

function dockerAvailable(): boolean {
  if (process.env.DOCKER_HOST) return true;
  return existsSync("/var/run/docker.sock");
}

export const missingServicesMessage = [
  "Integration tests need PostgreSQL (with pgvector) and Redis.",
  "Set DATABASE_URL and REDIS_URL, for example:",
  "  DATABASE_URL=postgres://docent:docent@127.0.0.1:5432/docent REDIS_URL=redis://127.0.0.1:6379 pnpm test",
  "(on Debian/Ubuntu, `sudo bash infra/setup-debian.sh` provides both), or run with a Docker",
  "engine available so testcontainers can start them.",
].join("\n");

/** Whether something accepts TCP connections at the URL's host and port, within `timeoutMs`. */
function listening(url: string, defaultPort: number, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.connect(Number(port || defaultPort), hostname.replace(/^\[|\]$/g, ""), () => done(true));
  });
}

/** The services' own defaults (README), used when they answer and nothing else is set. */
async function localDefault(variable: "DATABASE_URL" | "REDIS_URL"): Promise<string | undefined> {
  const url = variable === "DATABASE_URL" ? envFields.databaseUrl.parse(undefined) : envFields.redisUrl.parse(undefined);
  return (await listening(url, variable === "DATABASE_URL" ? 5432 : 6379)) ? url : undefined;
}

export async function resolveTestServices(): Promise<TestServices> {
  const databaseUrl = process.env.DATABASE_URL ?? (await localDefault("DATABASE_URL"));
  const redisUrl = process.env.REDIS_URL ?? (await localDefault("REDIS_URL"));
  if (databaseUrl && redisUrl) {
    return { databaseUrl, redisUrl, stop: async () => {} };
  }
  if (!dockerAvailable()) {
    throw new Error(missingServicesMessage);
  }
  const { GenericContainer, Wait } = await import("testcontainers");
  const pg = databaseUrl
    ? undefined
    : await new GenericContainer("pgvector/pgvector:0.8.0-pg17")
        .withEnvironment({
          POSTGRES_USER: "docent",
          POSTGRES_PASSWORD: "docent",
          POSTGRES_DB: "docent",
        })
        .withExposedPorts(5432)
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
        .start();
  const redis = redisUrl
    ? undefined
    : await new GenericContainer("redis:7-alpine")
        .withCommand(["redis-server", "--maxmemory-policy", "noeviction"])
        .withExposedPorts(6379)
        .start();
  return {
    databaseUrl:
      databaseUrl ??
      `postgres://docent:docent@${pg!.getHost()}:${pg!.getMappedPort(5432)}/docent`,
    redisUrl: redisUrl ?? `redis://${redis!.getHost()}:${redis!.getMappedPort(6379)}`,
    stop: async () => {
      await Promise.all([pg?.stop(), redis?.stop()]);
    },
  };
}
