import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { workerStartCommand } from "./start-command";

describe("worker start command", () => {
  it("is what the Dockerfile runs, so the benchmarked flags are the shipped ones", () => {
    const dockerfile = readFileSync(new URL("../Dockerfile", import.meta.url), "utf8");
    const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd!)).toEqual(workerStartCommand());
  });

  it("runs node directly on src/main.ts with a bounded young generation", () => {
    const argv = workerStartCommand();
    expect(argv[0]).toBe("node");
    expect(argv.at(-1)).toBe("src/main.ts");
    expect(argv.some((a) => /^--max-semi-space-size=\d+$/.test(a))).toBe(true);
  });
});
