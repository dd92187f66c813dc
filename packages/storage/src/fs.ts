/**
 * Local-filesystem driver: the embedded default when no S3 endpoint is configured
 * (single-machine installs, development). Writes go to a temporary file renamed into
 * place, so a reader never sees a half-written object.
 */
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertValidKey, ObjectNotFoundError, type ObjectStorage } from "./types";

export function createFsStorage(rootDir: string): ObjectStorage {
  const root = resolve(rootDir);
  const pathOf = (key: string) => {
    assertValidKey(key);
    return join(root, ...key.split("/"));
  };

  return {
    driver: "fs",
    async put(key, body) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      const temp = `${target}.${randomUUID()}.partial`;
      try {
        const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
        await pipeline(source, createWriteStream(temp, { flags: "wx" }));
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async get(key) {
      const path = pathOf(key);
      try {
        await stat(path);
      } catch {
        throw new ObjectNotFoundError(key);
      }
      return createReadStream(path);
    },
    async head(key) {
      try {
        const info = await stat(pathOf(key));
        return info.isFile() ? { size: info.size } : undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async check() {
      // A real write, not an access() check: read-only mounts and full disks pass access().
      await mkdir(root, { recursive: true });
      const probe = join(root, `.ready-${randomUUID()}`);
      try {
        await writeFile(probe, "");
      } finally {
        await rm(probe, { force: true });
      }
    },
  };
}
