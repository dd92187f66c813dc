/**
 * The code's boundaries, checked by `pnpm lint:deps` (part of `pnpm lint`) and by the
 * test in tests/boundaries:
 *   apps/*      deployables; may import packages, never another app
 *   packages/*  shared libraries; never import an app; packages/contracts imports no
 *               other package (the shapes the browser shares with the servers)
 *   apps/worker serves no HTTP API: no Fastify, no @docent/http-kit
 *   tests/*     cross-service suites; may import apps and packages
 * and no import cycle anywhere (but between drizzle table files). Workspace imports (`@docent/db/queries/bots`) are
 * followed through node_modules to their source folders, so the rules see real paths.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-app-imports-another-app",
      comment: "An app is a deployable: what two apps share belongs in a package (packages/*).",
      severity: "error",
      from: { path: "^apps/([^/]+)/" },
      to: { path: "^apps/([^/]+)/", pathNot: "^apps/$1/" },
    },
    {
      name: "no-package-imports-an-app",
      comment: "Packages are the shared layer under the apps; they never reach up into one.",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "contracts-stand-alone",
      comment: "Contracts are the shapes clients and servers share (the admin bundles them): their code depends on no other package (their build and test configuration may use @docent/config).",
      severity: "error",
      from: { path: "^packages/contracts/src/" },
      to: { path: "^(packages|apps)/", pathNot: "^packages/contracts/" },
    },
    {
      name: "worker-without-http-framework",
      comment: "The worker serves no HTTP API: it must not load Fastify or the HTTP half of the kit (@docent/http-kit), so its image does not install them.",
      severity: "error",
      from: { path: "^apps/worker/(src|test)/" },
      to: { path: "^packages/http-kit/|node_modules/(fastify|@fastify/)" },
    },
    {
      name: "no-cycles",
      comment:
        "A cycle makes modules load in an order nobody chose and packages impossible to split. " +
        "Drizzle table files are the exception: tables reference each other (foreign keys, relations) " +
        "through functions run after every module has loaded.",
      severity: "error",
      from: { pathNot: "^packages/db/src/schema/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|coverage|\\.turbo)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    combinedDependencies: false,
    preserveSymlinks: false,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
