/**
 * The committed migrations must describe the TypeScript schema exactly: a fresh
 * `drizzle-kit generate` against a copy of them produces nothing, and `drizzle-kit check`
 * finds no conflicts. A schema edit without its migration fails here.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const drizzleKit = join(pkg, "node_modules/.bin/drizzle-kit");
const work = mkdtempSync(join(tmpdir(), "docent-drift-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** drizzle-kit writes its verdicts to stdout or stderr depending on the command. */
function run(args: string[]) {
  const result = spawnSync(drizzleKit, args, { cwd: pkg, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`drizzle-kit ${args[0]} failed:\n${result.stdout}${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

describe("migrations", () => {
  it("have no drift from the schema", () => {
    cpSync(join(pkg, "migrations"), join(work, "migrations"), { recursive: true });
    const before = readdirSync(join(work, "migrations")).sort();
    const config = join(work, "drizzle.config.ts");
    writeFileSync(
      config,
      `export default ${JSON.stringify({
        dialect: "postgresql",
        schema: join(pkg, "src/schema/index.ts"),
        // drizzle-kit resolves `out` against the working directory, absolute or not.
        out: relative(pkg, join(work, "migrations")),
        casing: "snake_case",
      })};\n`,
    );
    const output = run(["generate", `--config=${config}`]);
    expect(output).toContain("No schema changes");
    expect(readdirSync(join(work, "migrations")).sort()).toEqual(before);
  });

  it("pass drizzle-kit check", () => {
    expect(run(["check"])).toContain("Everything's fine");
  });
});
