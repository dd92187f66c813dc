/**
 * buildah with the settings that work on a machine without a Docker engine: the vfs
 * storage driver, chroot isolation and the host network, all state under one directory
 * (VERIFY_IMAGES_DIR, default /var/tmp/docent-images) so nothing else is touched.
 */
import { execFileSync, spawn } from "node:child_process";

export const workDir = process.env.VERIFY_IMAGES_DIR ?? "/var/tmp/docent-images";

const storageArgs = ["--storage-driver", "vfs", "--root", `${workDir}/storage`, "--runroot", `${workDir}/run`];

/** Runs buildah and returns its stdout; throws with stderr on failure. */
export function buildah(args: string[]): string {
  try {
    return execFileSync("buildah", [...storageArgs, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`buildah ${args.join(" ")} failed: ${e.stderr?.trim() || e.message}`, { cause: error });
  }
}

/** `buildah bud` with its output streamed to `log` (a build takes minutes). */
export function buildahBuild(args: string[], log: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("buildah", [...storageArgs, "bud", "--isolation", "chroot", "--network", "host", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`buildah bud ${args.join(" ")} exited with ${code}`))));
  });
}

export function imageExists(name: string): boolean {
  try {
    buildah(["inspect", "--type", "image", "--format", "{{.FromImageID}}", name]);
    return true;
  } catch {
    return false;
  }
}

export interface ImageConfig {
  env: string[];
  cmd: string[];
  entrypoint: string[];
  workingDir: string;
  user: string;
  healthcheck: string[] | undefined;
  stopSignal: string | undefined;
}

/** The run-time configuration a container engine would take from the image. */
export function imageConfig(name: string): ImageConfig {
  const { Docker: docker } = JSON.parse(buildah(["inspect", "--type", "image", name])) as {
    Docker: {
      config?: {
        Env?: string[];
        Cmd?: string[];
        Entrypoint?: string[];
        WorkingDir?: string;
        User?: string;
        Healthcheck?: { Test?: string[] };
        StopSignal?: string;
      };
    };
  };
  const config = docker.config ?? {};
  const test = config.Healthcheck?.Test;
  return {
    env: config.Env ?? [],
    cmd: config.Cmd ?? [],
    entrypoint: config.Entrypoint ?? [],
    workingDir: config.WorkingDir || "/",
    user: config.User || "root",
    // ["CMD", ...argv] (exec form) or ["CMD-SHELL", "cmd"]
    healthcheck: test?.[0] === "CMD" ? test.slice(1) : test?.[0] === "CMD-SHELL" ? ["/bin/sh", "-c", test[1]!] : undefined,
    stopSignal: config.StopSignal,
  };
}

/** Image size in bytes, as the registry would store it uncompressed. */
export function imageSize(name: string): number {
  const images = JSON.parse(buildah(["images", "--json", name])) as { size?: string; readonlysize?: number }[];
  const size = images[0]?.size ?? "0";
  const match = /^([\d.]+)\s*([kMG]?B)$/i.exec(size.trim());
  if (!match) return 0;
  const factor = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9 }[match[2]!.toUpperCase() as "B" | "KB" | "MB" | "GB"];
  return Number(match[1]) * factor;
}
