/**
 * infra/docker/Dockerfile: each service image starts exactly the command its package's
 * `start` script runs (which the process tests exercise), as node itself (PID 1, exec
 * form), as a non-root user, with a health check; and the build context leaves a
 * checkout's installs, builds and secrets out.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startCommand } from "./process";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const dockerfile = readFileSync(`${root}/infra/docker/Dockerfile`, "utf8");

/** Instructions of each stage, keyed by stage name, continuation lines joined. */
function stages(): Map<string, { from: string; lines: string[] }> {
  const result = new Map<string, { from: string; lines: string[] }>();
  let current: { from: string; lines: string[] } | undefined;
  const joined = dockerfile.replace(/\\\n\s*/g, " ").split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
  for (const line of joined) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      current = { from: from[1]!, lines: [] };
      if (from[2]) result.set(from[2], current);
      continue;
    }
    current?.lines.push(line.trim());
  }
  return result;
}

/** The stage's instructions including those inherited from the stages it is built FROM. */
function effective(name: string): string[] {
  const all = stages();
  const stage = all.get(name);
  if (!stage) throw new Error(`no stage ${name}`);
  return all.has(stage.from) ? [...effective(stage.from), ...stage.lines] : stage.lines;
}

const instruction = (name: string, keyword: string) =>
  effective(name)
    .filter((l) => l.toUpperCase().startsWith(`${keyword} `))
    .at(-1)
    ?.slice(keyword.length + 1)
    .trim();

describe("infra/docker/Dockerfile", () => {
  it.each([
    ["api", "apps/api"],
    ["chat", "apps/chat"],
    ["worker", "apps/worker"],
  ])("the %s image runs its package's start command as node (exec form)", (target, dir) => {
    const cmd = instruction(target, "CMD");
    expect(cmd, `${target} CMD`).toMatch(/^\[/);
    expect(JSON.parse(cmd!)).toEqual(startCommand(`${root}/${dir}`));
  });

  it("runs the migrations with compiled code, not tsx or pnpm", () => {
    expect(JSON.parse(instruction("migrate", "CMD")!)).toEqual(["node", "--conditions=docent-compiled", "dist/cli/migrate.js"]);
    expect(dockerfile).not.toMatch(/CMD \["pnpm"|--import", "tsx"/);
  });

  it.each(["api", "chat", "worker", "migrate"])("runs %s as the unprivileged node user", (target) => {
    expect(instruction(target, "USER")).toBe("node");
  });

  it.each(["api", "chat", "worker", "admin"])("gives %s a health check with a start period", (target) => {
    expect(instruction(target, "HEALTHCHECK")).toMatch(/--start-period=\d+s .*CMD \[/);
  });

  it("ships only production dependencies per service", () => {
    expect(dockerfile).toMatch(/--prod deploy/);
    for (const target of ["api", "chat", "worker", "migrate"]) {
      expect(effective(target).join("\n")).toMatch(/COPY --from=build --chown=node:node \/deploy\/\w+ \/app/);
    }
  });

  it("keeps installs, builds, git and local secrets out of the build context", () => {
    const ignored = readFileSync(`${root}/.dockerignore`, "utf8").split("\n");
    for (const entry of ["**/node_modules", "**/dist", ".git", ".env", ".data"]) expect(ignored).toContain(entry);
  });
});
