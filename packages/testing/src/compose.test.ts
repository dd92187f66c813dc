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
  build?: { target?: string };
  command?: string[] | null;
  container_name?: string;
  ports?: { host_ip?: string; published?: string; target: number }[];
  depends_on?: Record<string, { condition: string; restart?: boolean }>;
  restart?: string;
  environment?: Record<string, string | null>;
  stop_grace_period?: string;
  volumes?: { source?: string; target: string; read_only?: boolean }[];
}

/** The stack as compose resolves it from a fresh clone: no .env, no variables set. */
function composeConfig(): { services: Record<string, ComposeService> } {
  let out: string;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => ["PATH", "HOME"].includes(k)));
  try {
    out = execFileSync("docker", ["compose", "-f", "docker-compose.yml", "--env-file", "/dev/null", "config", "--format", "json"], {
      cwd: root,
      encoding: "utf8",
      env,
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

  it("starts services only after the one-shot migration and key file succeeded", () => {
    for (const oneShot of ["migrate", "keys"]) expect(services[oneShot]!.restart).toBe("no");
    for (const name of ["api", "chat", "worker"]) {
      expect(services[name]!.depends_on?.migrate?.condition, name).toBe("service_completed_successfully");
      expect(services[name]!.depends_on?.keys?.condition, name).toBe("service_completed_successfully");
    }
  });

  it("runs each service's own image command (the one the process tests start)", () => {
    for (const name of ["api", "chat", "worker", "migrate", "admin"]) {
      expect(services[name]!.build?.target, name).toBe(name);
      expect(services[name]!.command ?? undefined, name).toBeUndefined();
    }
  });

  it("gives every service its encryption keys without any .env: the generated key file", () => {
    expect(services.keys!.volumes?.[0]).toMatchObject({ source: "docent-keys", target: "/var/lib/docent/keys" });
    for (const name of ["api", "chat", "worker"]) {
      const env = services[name]!.environment!;
      expect(env.DOCENT_ENCRYPTION_KEYS_FILE, name).toBe("/var/lib/docent/keys/encryption-keys");
      expect(services[name]!.volumes, name).toContainEqual(
        expect.objectContaining({ source: "docent-keys", target: "/var/lib/docent/keys", read_only: true }),
      );
    }
  });

  it("serves metrics on the compose network only: never on a published port", () => {
    expect(services.api!.ports?.map((p) => p.target)).toEqual([3000]);
    expect(services.chat!.ports?.map((p) => p.target)).toEqual([3001]);
    for (const name of ["api", "chat"]) {
      expect(services[name]!.environment!.METRICS_HOST, name).toBe("0.0.0.0");
      expect(services[name]!.environment!.METRICS_PORT ?? undefined, name).toBeUndefined();
    }
    for (const name of ["api", "chat", "worker"]) expect(services[name]!.environment, name).toHaveProperty("METRICS_TOKEN");
  });

  it("trusts X-Forwarded-For only from the nginx service", () => {
    for (const name of ["api", "chat"]) expect(services[name]!.environment!.TRUST_PROXY, name).toBe("admin");
  });

  it("lets each service finish in-flight work before it is killed", () => {
    for (const name of ["api", "chat", "worker"]) {
      const graceMs = Number(/^(\d+)s$/.exec(services[name]!.stop_grace_period ?? "10s")![1]) * 1000;
      expect(Number(services[name]!.environment!.SHUTDOWN_TIMEOUT_MS), name).toBeLessThan(graceMs);
    }
  });

  it("publishes the admin app on localhost only, once api and chat are healthy", () => {
    expect(services.admin!.ports).toEqual([expect.objectContaining({ host_ip: "127.0.0.1", target: 80 })]);
    for (const upstream of ["api", "chat"]) {
      expect(services.admin!.depends_on?.[upstream]).toMatchObject({ condition: "service_healthy", restart: true });
    }
  });
});
