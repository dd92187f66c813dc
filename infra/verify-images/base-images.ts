/**
 * Stand-ins for the Docker Hub base images the Dockerfile names, which this machine cannot
 * pull: Debian bookworm (debootstrap, minbase) with
 *   - node:24-bookworm-slim: this machine's Node 24 binary (the npm `node` package that
 *     infra/setup-debian.sh installs), npm, and the user `node` (uid/gid 1000);
 *   - nginx:1.27-alpine: Debian's nginx and wget, `daemon off`.
 * Each is built once and kept in the verify storage; --rebuild-base builds them again.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildah, buildahBuild, imageExists, workDir } from "./buildah";

export const NODE_IMAGE = "docker.io/library/node:24-bookworm-slim";
export const NGINX_IMAGE = "docker.io/library/nginx:1.27-alpine";

const run = (command: string, args: string[]) =>
  execFileSync(command, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });

function debootstrap(target: string, include: string[], log: NodeJS.WritableStream) {
  if (existsSync(join(target, "etc/debian_version"))) return;
  rmSync(target, { recursive: true, force: true });
  log.write(`debootstrap bookworm -> ${target}\n`);
  const args = ["--variant=minbase", ...(include.length ? [`--include=${include.join(",")}`] : []), "bookworm", target];
  run("debootstrap", [...args, process.env.DEBIAN_MIRROR ?? "http://deb.debian.org/debian"]);
}

/** Packs `rootfs` as a single-layer image with the given Containerfile lines after ADD. */
async function importRootfs(rootfs: string, name: string, config: string[], log: NodeJS.WritableStream) {
  const context = join(workDir, `context-${name.replace(/\W+/g, "-")}`);
  rmSync(context, { recursive: true, force: true });
  mkdirSync(context, { recursive: true });
  run("tar", ["--numeric-owner", "-C", rootfs, "-cf", join(context, "rootfs.tar"), "."]);
  writeFileSync(join(context, "Containerfile"), ["FROM scratch", "ADD rootfs.tar /", ...config, ""].join("\n"));
  await buildahBuild(["--format", "docker", "-t", name, context], log);
  rmSync(context, { recursive: true, force: true });
}

async function buildNodeImage(log: NodeJS.WritableStream) {
  const version = run(process.execPath, ["--version"]).trim();
  if (!version.startsWith("v24.")) throw new Error(`the node stand-in needs this machine's Node 24; running ${version}`);
  const rootfs = join(workDir, "rootfs-node");
  debootstrap(rootfs, [], log);
  const bin = join(rootfs, "usr/local/bin");
  mkdirSync(bin, { recursive: true });
  run("cp", [realpathSync(process.execPath), join(bin, "node")]);
  if (!existsSync(join(rootfs, "usr/local/lib/node_modules/npm"))) {
    run("npm", ["install", "-g", "--prefix", join(rootfs, "usr/local"), "--no-audit", "--no-fund", "npm@11"]);
  }
  if (!/^node:x:1000:1000:/m.test(readFileSync(join(rootfs, "etc/passwd"), "utf8"))) {
    run("chroot", [rootfs, "groupadd", "--gid", "1000", "node"]);
    run("chroot", [rootfs, "useradd", "--uid", "1000", "--gid", "node", "--shell", "/bin/bash", "--create-home", "node"]);
  }
  await importRootfs(
    rootfs,
    NODE_IMAGE,
    [`ENV NODE_VERSION=${version.slice(1)} PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin`, 'CMD ["node"]'],
    log,
  );
}

async function buildNginxImage(log: NodeJS.WritableStream) {
  const rootfs = join(workDir, "rootfs-nginx");
  debootstrap(rootfs, ["nginx", "wget"], log);
  rmSync(join(rootfs, "etc/nginx/sites-enabled/default"), { force: true });
  // Debian's nginx logs to files under /var/log/nginx. (The official image links them to
  // /dev/stdout and /dev/stderr, which cannot be opened when the runner's stdio are sockets.)
  for (const file of ["access.log", "error.log"]) rmSync(join(rootfs, "var/log/nginx", file), { force: true });
  await importRootfs(rootfs, NGINX_IMAGE, ["EXPOSE 80", "STOPSIGNAL SIGQUIT", 'CMD ["nginx", "-g", "daemon off;"]'], log);
}

export async function ensureBaseImages(options: { rebuild: boolean; log: NodeJS.WritableStream }) {
  for (const [name, build] of [
    [NODE_IMAGE, buildNodeImage],
    [NGINX_IMAGE, buildNginxImage],
  ] as const) {
    if (options.rebuild && imageExists(name)) buildah(["rmi", "--force", name]);
    if (!imageExists(name)) {
      options.log.write(`building the stand-in ${name}\n`);
      await build(options.log);
    }
  }
}
