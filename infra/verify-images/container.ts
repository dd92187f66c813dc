/**
 * Runs a built image the way a container engine would, without one: the image's root
 * filesystem (buildah mount), its Env, WorkingDir, User and Cmd, a PID namespace of its
 * own in which the command is PID 1 (util-linux `unshare --pid --fork --mount-proc
 * --root`), and the host network, so it reaches this machine's PostgreSQL and Redis on
 * 127.0.0.1. Host directories can be bind-mounted like volumes, and the image's
 * HEALTHCHECK can be run inside its filesystem.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, copyFileSync, createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { collectOutput } from "@docent/testing/process";
import { buildah, imageConfig, type ImageConfig } from "./buildah";

export interface ContainerOptions {
  image: string;
  name: string;
  /** Variables over the image's Env, like `docker run -e`. */
  env?: Record<string, string>;
  /** Replaces the image's Cmd, like a compose `command`. */
  command?: string[];
  /** Host directory -> path in the container. */
  volumes?: Record<string, string>;
  /** Extra /etc/hosts lines ("127.0.0.1 api chat"), standing in for compose's DNS. */
  hosts?: string[];
  logDir: string;
}

export interface Container {
  name: string;
  config: ImageConfig;
  /** Host PID of the container's PID 1. */
  pid(): number;
  lines(): string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Runs the image's HEALTHCHECK command in the container's filesystem; true on exit 0. */
  healthy(): boolean;
  kill(signal: NodeJS.Signals): void;
  remove(): void;
}

function uidOf(rootfs: string, user: string): { uid: string; gid: string } {
  if (/^\d+(:\d+)?$/.test(user)) {
    const [uid, gid = uid] = user.split(":");
    return { uid: uid!, gid: gid! };
  }
  const line = readFileSync(join(rootfs, "etc/passwd"), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`user ${user} not in the image's /etc/passwd`);
  const [, , uid, gid] = line.split(":");
  return { uid: uid!, gid: gid! };
}

export function startContainer(options: ContainerOptions): Container {
  const config = imageConfig(options.image);
  const id = buildah(["from", "--pull=never", "--name", `verify-${options.name}-${process.pid}`, options.image]).trim();
  const rootfs = buildah(["mount", id]).trim();
  const mounts: string[] = [];
  for (const [host, target] of Object.entries(options.volumes ?? {})) {
    const point = join(rootfs, target);
    mkdirSync(point, { recursive: true });
    execFileSync("mount", ["--bind", host, point]);
    mounts.push(point);
  }
  copyFileSync("/etc/resolv.conf", join(rootfs, "etc/resolv.conf"));
  if (options.hosts?.length) appendFileSync(join(rootfs, "etc/hosts"), `\n${options.hosts.join("\n")}\n`);

  const env = [...config.env, ...Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`)];
  const { uid, gid } = uidOf(rootfs, config.user);
  const inRootfs = (argv: string[], pidNamespace: boolean) => [
    ...(pidNamespace ? ["--pid", "--fork", "--mount-proc"] : []),
    "--root",
    rootfs,
    "--wd",
    config.workingDir,
    "--setuid",
    uid,
    "--setgid",
    gid,
    "/usr/bin/env",
    "-i",
    ...env,
    ...argv,
  ];
  const argv = [...config.entrypoint, ...(options.command ?? config.cmd)];
  const child: ChildProcess = spawn("unshare", inRootfs(argv, true), { stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(join(options.logDir, `${options.name}.log`));
  const output = collectOutput(child, (data) => log.write(data));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      log.end();
      resolve({ code, signal });
    }),
  );

  const pid = () => {
    // unshare --fork: the command runs in a child of unshare; that child is PID 1 inside.
    const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/);
    if (!children[0]) throw new Error(`${options.name}: PID 1 has not started`);
    return Number(children[0]);
  };

  return {
    name: options.name,
    config,
    pid,
    lines: () => output.lines,
    exited,
    waitForLine: (pattern, timeoutMs) => output.waitForLine(pattern, timeoutMs),
    healthy() {
      if (!config.healthcheck) throw new Error(`${options.image} has no HEALTHCHECK`);
      try {
        execFileSync("unshare", inRootfs(config.healthcheck, false), { stdio: "ignore", timeout: 10_000 });
        return true;
      } catch {
        return false;
      }
    },
    kill(signal) {
      process.kill(pid(), signal);
    },
    remove() {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGKILL to PID 1 ends every process of its namespace.
        try {
          process.kill(pid(), "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      }
      for (const point of mounts.reverse()) {
        try {
          execFileSync("umount", [point]);
        } catch {
          execFileSync("umount", ["-l", point]);
        }
      }
      buildah(["umount", id]);
      buildah(["rm", id]);
    },
  };
}
