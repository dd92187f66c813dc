/**
 * docker-compose.yml must stay valid for `docker compose config` (Compose v2) and keep the
 * operational properties the stack relies on. No Docker engine is needed to check this.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));

interface ComposeService {
  image?: string;
  command?: string[];
  container_name?: string;
  ports?: unknown[];
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  environment?: Record<string, string>;
}

function composeConfig(): { services: Record<string, ComposeService> } {
  let out: string;
  try {
    out = execFileSync("docker", ["compose", "-f", "docker-compose.yml", "config", "--format", "json"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, COMPOSE_PROFILES: "" },
    });
  } catch (error) {
    throw new Error(
      `\`docker compose config\` failed (is the Compose v2 plugin installed? infra/setup-debian.sh installs it):\n${String(error)}`,
      { cause: error },
    );
  }
  return JSON.parse(out);
}

describe("docker-compose.yml", () => {
  const { services } = composeConfig();

  it("runs every part of the stack", () => {
    for (const name of ["postgres", "redis", "minio", "minio-init", "migrate", "api", "chat", "worker", "admin"]) {
      expect(services, name).toHaveProperty(name);
    }
  });

  it("uses PostgreSQL with pgvector and Redis with AOF and noeviction", () => {
    expect(services.postgres!.image).toMatch(/^pgvector\/pgvector:/);
    const redis = services.redis!.command!.join(" ");
    expect(redis).toContain("--appendonly yes");
    expect(redis).toContain("--maxmemory-policy noeviction");
  });

  it("lets ops scale the worker: no fixed name or published port", () => {
    expect(services.worker!.container_name).toBeUndefined();
    expect(services.worker!.ports ?? []).toHaveLength(0);
  });

  it("starts services only after the one-shot migration succeeded", () => {
    expect(services.migrate!.restart).toBe("no");
    for (const name of ["api", "chat", "worker"]) {
      expect(services[name]!.depends_on?.migrate?.condition, name).toBe("service_completed_successfully");
    }
  });
});
