/**
 * The one build recipe for the services and the workspace packages they run: TypeScript
 * sources become JavaScript in `dist/`, one output file per source file (tsdown's unbundle
 * mode), so production starts `node --conditions=docent-compiled dist/server.js` with no
 * tsx and no bundler at run time.
 *
 * Development, tests and type checking keep reading the TypeScript sources: every export
 * of a workspace package is `{ "docent-compiled": "./dist/x.js", "default": "./src/x.ts" }`,
 * and only the production start commands pass `--conditions=docent-compiled`.
 *
 * Entries are the package's exports (checked to map src/x.ts to dist/x.js, so the
 * condition always names a file the build writes) plus the process entry points passed
 * here. The output may import only the package's declared `dependencies`: a production
 * import of a devDependency, or of a package that is not declared at all, fails the build
 * instead of the container.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { UserConfig } from "tsdown";

export const COMPILED_CONDITION = "docent-compiled";

interface PackageJson {
  name: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
}

const sourceToOutput = (source: string) => source.replace(/^\.\/src\//, "./dist/").replace(/\.ts$/, ".js");

/** The `src/...` entry files named by the package's compiled exports. */
export function compiledExportEntries(pkg: PackageJson): string[] {
  const entries: string[] = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target !== "object" || target === null) continue;
    const compiled = (target as Record<string, unknown>)[COMPILED_CONDITION];
    const source = (target as Record<string, unknown>).default;
    if (compiled === undefined) continue;
    if (typeof source !== "string" || typeof compiled !== "string" || sourceToOutput(source) !== compiled) {
      throw new Error(
        `${pkg.name}: export "${subpath}" must map "${COMPILED_CONDITION}" to the build output of its ` +
          `"default" source (./src/x.ts -> ./dist/x.js); got ${JSON.stringify(target)}`,
      );
    }
    entries.push(source.replace(/^\.\//, ""));
  }
  return entries;
}

export interface CompiledPackageOptions {
  /** Process entry points besides the exports, e.g. `["src/server.ts"]`. */
  entries?: string[];
}

/** tsdown configuration for the package whose directory holds `packageJsonUrl`. */
export function compiledPackage(packageJsonUrl: URL, options: CompiledPackageOptions = {}): UserConfig {
  const pkg = JSON.parse(readFileSync(packageJsonUrl, "utf8")) as PackageJson;
  const cwd = fileURLToPath(new URL(".", packageJsonUrl));
  const entry = [...compiledExportEntries(pkg), ...(options.entries ?? [])];
  if (entry.length === 0) throw new Error(`${pkg.name}: nothing to build (no compiled exports, no entries)`);
  return {
    cwd,
    entry: entry.map((e) => (e.includes("*") ? [e, "!src/**/*.test.ts"] : [e])).flat(),
    root: "src",
    outDir: "dist",
    unbundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    fixedExtension: false,
    sourcemap: true,
    dts: false,
    clean: true,
    hash: false,
    tsconfig: "tsconfig.json",
    logLevel: "warn",
    deps: {
      // Every non-relative import stays an import (workspace packages included: they are
      // built on their own and resolved through the compiled condition).
      neverBundle: true,
      onlyImport: Object.keys(pkg.dependencies ?? {}),
    },
  };
}
