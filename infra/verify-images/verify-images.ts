/**
 * `pnpm verify:images`: the production images, built and run without a Docker engine.
 *
 * 1. Stand-in base images (see base-images.ts), then every target of
 *    infra/docker/Dockerfile built with buildah.
 * 2. The built images run as compose runs them (see container.ts), against this machine's
 *    PostgreSQL (a fresh database) and Redis (fresh key prefixes): `keys` and `migrate`
 *    one-shots, then api, chat and worker until their own HEALTHCHECKs pass, then admin
 *    (nginx) in front of them.
 * 3. Through nginx, as a browser would: sign up, create a bot, upload a document, wait for
 *    PROCESSED, ask the bot and get a cited answer (streamed).
 * 4. SIGTERM to each service's PID 1: it must log its own shutdown and exit 0 within the
 *    compose grace period (30 s).
 * 5. The figures (build times, image sizes, time to healthy, shutdown times) are written
 *    to docs/images.md.
 *
 * Needs root (mounts, namespaces), buildah, debootstrap and util-linux; ports 80, 3000,
 * 3001 and 3002 free. Slow (the first run builds base images and the whole workspace:
 * expect 15-30 minutes), so it is not part of `pnpm test`: run it after changing a
 * Dockerfile, compose, a start command or a shutdown path.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildahBuild, imageSize, workDir } from "./buildah";
import { ensureBaseImages } from "./base-images";
import { startContainer, type Container } from "./container";
import { startMailbox, type Mailbox } from "@docent/testing/mailbox";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const GRACE_MS = 30_000;
const TARGETS = ["api", "chat", "worker", "migrate", "admin"] as const;
const args = new Set(process.argv.slice(2));
const runId = `${new Date().toISOString().replace(/[:.]/g, "-")}`;
const logDir = join(workDir, "logs", runId);
mkdirSync(logDir, { recursive: true });
const buildLog = createWriteStream(join(logDir, "build.log"));

const say = (message: string) => process.stdout.write(`[verify:images] ${message}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function preflight() {
  if (process.getuid?.() !== 0) throw new Error("run as root: buildah's vfs storage, bind mounts and PID namespaces need it");
  for (const tool of ["buildah", "debootstrap", "unshare", "psql", "redis-cli"]) {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    } catch {
      throw new Error(`${tool} is missing (apt-get install buildah debootstrap util-linux postgresql-client redis-tools)`);
    }
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

/**
 * The build context: the working tree's files as they are when the run starts (tracked and
 * untracked, without what .gitignore excludes), so edits made while the images build do
 * not change the context between targets and invalidate the shared build stage.
 */
function snapshotContext(): string {
  const context = join(workDir, "context");
  rmSync(context, { recursive: true, force: true });
  mkdirSync(context, { recursive: true });
  execFileSync("sh", ["-c", `git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents -P {} "${context}" 2>/dev/null; true`], {
    cwd: repoRoot,
  });
  execFileSync("sh", ["-c", `git ls-files -z --deleted | xargs -0 -r -I{} rm -f "${context}/{}"`], { cwd: repoRoot });
  return context;
}

async function buildImages() {
  const context = snapshotContext();
  const times: Record<string, number> = {};
  const secret = process.env.NODE_EXTRA_CA_CERTS && existsSync(process.env.NODE_EXTRA_CA_CERTS) ? process.env.NODE_EXTRA_CA_CERTS : undefined;
  for (const target of TARGETS) {
    const started = Date.now();
    say(`building docent/${target}:local (log: ${join(logDir, "build.log")})`);
    await buildahBuild(
      [
        "--layers",
        "--pull=never",
        "--format",
        "docker",
        ...(secret ? ["--secret", `id=npm_ca,src=${secret}`] : []),
        "--target",
        target,
        "-t",
        `docent/${target}:local`,
        "-f",
        join(context, "infra/docker/Dockerfile"),
        context,
      ],
      buildLog,
    );
    times[target] = Date.now() - started;
  }
  return times;
}

/** Polls the image's own HEALTHCHECK until it passes; returns the time it took. */
async function waitHealthy(container: Container, started: number, timeoutMs = 90_000): Promise<number> {
  while (Date.now() - started < timeoutMs) {
    if (container.healthy()) return Date.now() - started;
    const exit = await Promise.race([container.exited, sleep(1000).then(() => undefined)]);
    if (exit) throw new Error(`${container.name} exited (${JSON.stringify(exit)}) before it was healthy:\n${container.lines().slice(-15).join("\n")}`);
  }
  throw new Error(`${container.name} not healthy within ${timeoutMs} ms:\n${container.lines().slice(-15).join("\n")}`);
}

async function runOneShot(options: Parameters<typeof startContainer>[0]) {
  const container = startContainer(options);
  try {
    const exit = await Promise.race([container.exited, sleep(120_000).then(() => ({ code: -1, signal: null }))]);
    if (exit.code !== 0) throw new Error(`${options.name} exited with ${JSON.stringify(exit)}:\n${container.lines().join("\n")}`);
  } finally {
    container.remove();
  }
}

interface Session {
  cookie: string;
  csrf: string;
}

async function call(base: string, session: Session | undefined, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = session ? { cookie: session.cookie, "x-csrf-token": session.csrf } : {};
  const init: RequestInit = { method, headers };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return { response, json: text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

/** Sign up (and confirm by the mailed link) -> bot -> upload -> PROCESSED -> a streamed, cited answer, all through nginx. */
async function userJourney(base: string, mailbox: Mailbox) {
  const email = `verify-${randomBytes(4).toString("hex")}@example.com`;
  const password = "verify-images-password-1";
  await call(base, undefined, "POST", "/api/v1/auth/signup", { email, password });
  const mail = await mailbox.waitFor((m) => m.to.includes(email), 30_000);
  const link = mail.links.find((l) => l.includes("/verify-email#token="));
  if (!link) throw new Error(`no confirmation link in the sign-up mail: ${mail.text}`);
  const token = decodeURIComponent(new URL(link).hash.slice("#token=".length));
  const verified = await call(base, undefined, "POST", "/api/v1/auth/verify-email", { token, password });
  const cookie = verified.response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const session: Session = { cookie, csrf: verified.json.csrfToken };
  const workspaceId = verified.json.workspaces[0].workspaceId as string;
  const bot = (await call(base, session, "POST", `/api/v1/workspaces/${workspaceId}/bots`, { name: "Images check" })).json;

  const form = new FormData();
  const text =
    "# Returns\n\nCustomers can return any unopened product within 45 days of delivery for a full refund. " +
    "Opened products can be exchanged within 14 days.\n\n# Shipping\n\nOrders ship from the Lisbon warehouse within two working days.\n";
  form.append("file", new Blob([text], { type: "text/markdown" }), "returns-policy.md");
  const document = (await call(base, session, "POST", `/api/v1/bots/${bot.id}/documents`, form)).json;
  const started = Date.now();
  let status = document.status as string;
  while (status !== "PROCESSED") {
    if (status === "FAILED" || Date.now() - started > 120_000) throw new Error(`document ended ${status}`);
    await sleep(500);
    status = (await call(base, session, "GET", `/api/v1/bots/${bot.id}/documents/${document.id}`)).json.status;
  }
  const processedMs = Date.now() - started;

  const stream = await fetch(`${base}/chat/v1/bots/${bot.id}/chat`, {
    method: "POST",
    headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json" },
    body: JSON.stringify({ message: "How many days do customers have to return an unopened product?", stream: true }),
  });
  const events = await stream.text();
  const done = /event: done\ndata: (.*)\n/.exec(events)?.[1];
  if (!stream.ok || !done) throw new Error(`chat stream ${stream.status} without a done event:\n${events.slice(0, 2000)}`);
  const answer = JSON.parse(done) as { answer: string; citations: { documentId: string }[] };
  if (!answer.answer.includes("45 days") || !answer.citations.some((c) => c.documentId === document.id)) {
    throw new Error(`the answer does not cite the document: ${done}`);
  }
  return { processedMs, answer: answer.answer };
}

async function stopGracefully(container: Container) {
  const started = Date.now();
  container.kill((container.config.stopSignal as NodeJS.Signals | undefined) ?? "SIGTERM");
  const exit = await Promise.race([container.exited, sleep(GRACE_MS).then(() => undefined)]);
  const ms = Date.now() - started;
  if (!exit) throw new Error(`${container.name} did not exit within the ${GRACE_MS / 1000} s grace period`);
  if (exit.code !== 0) throw new Error(`${container.name} exited with ${JSON.stringify(exit)} on SIGTERM:\n${container.lines().slice(-10).join("\n")}`);
  if (container.name !== "admin" && !container.lines().some((l) => l.includes('"msg":"shutdown complete"'))) {
    throw new Error(`${container.name} exited without its shutdown log:\n${container.lines().slice(-10).join("\n")}`);
  }
  return ms;
}

function writeReport(figures: {
  builds: Record<string, number>;
  sizes: Record<string, number>;
  healthy: Record<string, number>;
  shutdown: Record<string, number>;
  processedMs: number;
  totalMs: number;
}) {
  const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
  const rows = TARGETS.map(
    (t) =>
      `| ${t} | ${mb(figures.sizes[t] ?? 0)} | ${t in figures.builds ? seconds(figures.builds[t]!) : "not rebuilt"} | ${t in figures.healthy ? seconds(figures.healthy[t]!) : "-"} | ${t in figures.shutdown ? seconds(figures.shutdown[t]!) : "-"} |`,
  );
  const file = join(repoRoot, "docs/images.md");
  const header = readFileSync(file, "utf8").split("<!-- verify:images result -->")[0];
  writeFileSync(
    file,
    `${header}<!-- verify:images result -->\n\nLast run: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ` +
      `\`pnpm verify:images\` as root on this machine (Node ${process.version}, buildah ` +
      `${execFileSync("buildah", ["--version"], { encoding: "utf8" }).split(" ")[2]}), ${seconds(figures.totalMs)} in all. ` +
      `Build times are per target in order, so the first one includes the shared build stage.\n\n` +
      `| image | size | build | healthy after start | exit after SIGTERM |\n| --- | --- | --- | --- | --- |\n${rows.join("\n")}\n\n` +
      `Upload to PROCESSED through nginx: ${seconds(figures.processedMs)}; the streamed answer cited the uploaded document.\n`,
  );
}

async function main() {
  const started = Date.now();
  preflight();
  for (const port of [80, 3000, 3001, 3002]) {
    if (!(await portFree(port))) throw new Error(`port ${port} is in use; the images listen on 80, 3000, 3001 and 3002`);
  }
  await ensureBaseImages({ rebuild: args.has("--rebuild-base"), log: buildLog });
  // --skip-build: run the images built last time (when only this script changed).
  const builds = args.has("--skip-build") ? {} : await buildImages();
  const sizes = Object.fromEntries(TARGETS.map((t) => [t, imageSize(`docent/${t}:local`)]));
  for (const t of TARGETS) say(`docent/${t}:local ${Math.round(sizes[t]! / 1e6)} MB${t in builds ? `, built in ${seconds(builds[t]!)}` : ""}`);
  if (args.has("--build-only")) return;

  // Fresh state: a database of its own, Redis key prefixes of its own, volumes as host dirs.
  const database = `docent_verify_${randomBytes(4).toString("hex")}`;
  execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-qc", `create database ${database} owner docent`]);
  const prefix = `docent-verify-${randomBytes(4).toString("hex")}`;
  const volumes = join(workDir, "volumes", runId);
  const keysDir = join(volumes, "keys");
  const storageDir = join(volumes, "storage");
  for (const dir of [keysDir, storageDir]) {
    mkdirSync(dir, { recursive: true });
    chownSync(dir, 1000, 1000);
  }
  const env = {
    DATABASE_URL: `postgres://docent:docent@127.0.0.1:5432/${database}`,
    REDIS_URL: "redis://127.0.0.1:6379",
    QUEUE_PREFIX: prefix,
    REDIS_KEY_PREFIX: `${prefix}:`,
    CHAT_REDIS_PREFIX: `${prefix}:chat`,
    DOCENT_ENCRYPTION_KEYS_FILE: "/var/lib/docent/keys/encryption-keys",
    SHUTDOWN_TIMEOUT_MS: "25000",
    TRUST_PROXY: "admin",
  };
  const hosts = ["127.0.0.1 api chat admin"];
  const containers: Container[] = [];
  // Sign-up mail goes over real SMTP to a catcher on loopback (Mailpit in compose).
  const mailbox = await startMailbox();
  try {
    await runOneShot({
      image: "docent/api:local",
      name: "keys",
      command: ["node", "--conditions=docent-compiled", "dist/cli/encryption-keys.js", "ensure", "/var/lib/docent/keys/encryption-keys"],
      volumes: { [keysDir]: "/var/lib/docent/keys" },
      logDir,
    });
    const keyFile = statSync(join(keysDir, "encryption-keys"));
    if (keyFile.uid !== 1000 || (keyFile.mode & 0o777) !== 0o600) throw new Error("the key file is not node-owned with mode 0600");
    await runOneShot({ image: "docent/migrate:local", name: "migrate", env: { DATABASE_URL: env.DATABASE_URL }, logDir });
    say("keys and migrate one-shots exited 0");

    const healthy: Record<string, number> = {};
    const services = [
      { name: "api", env: { ...env, PORT: "3000", SMTP_URL: mailbox.url, PUBLIC_APP_URL: "http://127.0.0.1" }, volumes: { [keysDir]: "/var/lib/docent/keys", [storageDir]: "/var/lib/docent/storage" } },
      { name: "chat", env: { ...env, PORT: "3001" }, volumes: { [keysDir]: "/var/lib/docent/keys" } },
      { name: "worker", env, volumes: { [keysDir]: "/var/lib/docent/keys", [storageDir]: "/var/lib/docent/storage" } },
    ];
    for (const service of services) {
      const begun = Date.now();
      const container = startContainer({ image: `docent/${service.name}:local`, name: service.name, env: service.env, volumes: service.volumes, hosts, logDir });
      containers.push(container);
      healthy[service.name] = await waitHealthy(container, begun);
      say(`${service.name} healthy after ${seconds(healthy[service.name]!)} (PID 1: ${container.config.cmd.join(" ")})`);
    }
    const adminBegun = Date.now();
    const admin = startContainer({ image: "docent/admin:local", name: "admin", hosts, logDir });
    containers.push(admin);
    healthy.admin = await waitHealthy(admin, adminBegun);
    say(`admin (nginx) healthy after ${seconds(healthy.admin)}`);

    const journey = await userJourney("http://127.0.0.1:80", mailbox);
    say(`sign-up -> upload -> PROCESSED in ${seconds(journey.processedMs)} -> answer: ${journey.answer.slice(0, 100)}`);

    const shutdown: Record<string, number> = {};
    for (const container of [...containers].reverse()) {
      shutdown[container.name] = await stopGracefully(container);
      say(`${container.name}: SIGTERM -> exit 0 in ${seconds(shutdown[container.name]!)}`);
    }
    writeReport({ builds, sizes, healthy, shutdown, processedMs: journey.processedMs, totalMs: Date.now() - started });
    say(`all checks passed in ${seconds(Date.now() - started)}; figures written to docs/images.md`);
  } finally {
    await mailbox.close();
    for (const container of containers) container.remove();
    execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-qc", `drop database if exists ${database} with (force)`]);
    execFileSync("sh", ["-c", `redis-cli --scan --pattern '${prefix}*' | xargs -r redis-cli del > /dev/null`]);
    rmSync(volumes, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  say(`FAILED: ${(error as Error).message}`);
  say(`logs: ${logDir}`);
  process.exit(1);
});

