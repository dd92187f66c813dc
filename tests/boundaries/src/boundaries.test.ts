/**
 * The repository's dependency rules (.dependency-cruiser.cjs): the code keeps them, and
 * each rule does catch what it names, shown on a small tree made for the purpose.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const config = join(root, ".dependency-cruiser.cjs");
const depcruise = join(import.meta.dirname, "../node_modules/.bin/depcruise");

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Cruises `dirs` (relative to `cwd`) with the repository's rules; the violations found. */
async function cruise(cwd: string, dirs: string[]): Promise<string[]> {
  // depcruise exits non-zero when it finds violations; the JSON report is on stdout either way.
  const run = await promisify(execFile)(depcruise, ["--config", config, "--output-type", "json", ...dirs], {
    cwd,
    maxBuffer: 256 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    if (!error.stdout) throw new Error(`depcruise failed: ${error.stderr}`);
    return { stdout: error.stdout };
  });
  const { violations } = (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary;
  return violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe("dependency rules", () => {
  it("hold for the repository: no app imports another app, no package imports an app, contracts import no package, the worker no HTTP framework, no cycles", async () => {
    expect(await cruise(root, ["apps", "packages", "tests", "infra"])).toEqual([]);
  });

  describe("catch what they name", () => {
    const tree = mkdtempSync(join(tmpdir(), "docent-boundaries-"));
    afterAll(() => rmSync(tree, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    };
    write("tsconfig.base.json", JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler", strict: true } }));
    write("apps/api/src/server.ts", 'import { plan } from "../../chat/src/plan";\nexport const server = plan;\n');
    write("apps/api/src/routes.ts", 'import { server } from "./server";\nexport const routes = server;\n');
    write("apps/chat/src/plan.ts", "export const plan = 1;\n");
    write("packages/db/src/client.ts", 'import { server } from "../../../apps/api/src/server";\nexport const client = server;\n');
    write("packages/queue/src/a.ts", 'import { b } from "./b";\nexport const a = () => b;\n');
    write("packages/queue/src/b.ts", 'import { a } from "./a";\nexport const b = () => a;\n');
    write("packages/http-kit/src/fastify.ts", "export const createServiceApp = () => 1;\n");
    write("apps/worker/src/ops.ts", 'import { createServiceApp } from "../../../packages/http-kit/src/fastify";\nexport const ops = createServiceApp;\n');
    write("packages/contracts/src/bots.ts", 'import { client } from "../../db/src/client";\nexport const bots = client;\n');
    write("packages/db/src/schema/bots.ts", 'import { docs } from "./docs";\nexport const bots = () => docs;\n');
    write("packages/db/src/schema/docs.ts", 'import { bots } from "./bots";\nexport const docs = () => bots;\n');

    it("an app importing another app, a package importing an app, contracts importing a package, the worker importing the HTTP kit, a cycle (drizzle tables excepted)", async () => {
      expect(await cruise(tree, ["apps", "packages"])).toEqual([
        "contracts-stand-alone: packages/contracts/src/bots.ts -> packages/db/src/client.ts",
        "no-app-imports-another-app: apps/api/src/server.ts -> apps/chat/src/plan.ts",
        "no-cycles: packages/queue/src/a.ts -> packages/queue/src/b.ts",
        "no-package-imports-an-app: packages/db/src/client.ts -> apps/api/src/server.ts",
        "worker-without-http-framework: apps/worker/src/ops.ts -> packages/http-kit/src/fastify.ts",
      ]);
    });
  });
});
