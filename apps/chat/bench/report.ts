/**
 * Writes one section of docs/benchmarks.md, between `<!-- name -->` and `<!-- /name -->`,
 * leaving every other section as it is (other benchmarks own them).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const benchmarksFile = fileURLToPath(new URL("../../../docs/benchmarks.md", import.meta.url));

export function writeSection(name: string, body: string): void {
  const start = `<!-- ${name} -->`;
  const end = `<!-- /${name} -->`;
  const current = existsSync(benchmarksFile) ? readFileSync(benchmarksFile, "utf8") : "# Benchmarks\n";
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(benchmarksFile, next);
}

/** A markdown table from a header and rows. */
export function table(header: string[], rows: (string | number)[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

export function machine(): string {
  return `${process.platform}/${process.arch}, Node ${process.version}`;
}
