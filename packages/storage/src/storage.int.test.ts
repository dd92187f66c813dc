/**
 * Both drivers behind the one interface: an S3-protocol server (s3rver on 127.0.0.1)
 * and the local filesystem. A large body goes up as a multipart upload and comes back
 * byte for byte; missing objects, deletes and hostile keys behave the same on both.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { createFsStorage } from "./fs";
import { createS3Storage } from "./s3";
import { startTestS3 } from "./testing";
import { InvalidStorageKeyError, ObjectNotFoundError, type ObjectStorage } from "./types";

const s3 = await startTestS3({ partSize: 5 * 1024 * 1024 });
const fsRoot = mkdtempSync(join(tmpdir(), "docent-fs-storage-"));
afterAll(async () => {
  await s3.stop();
  rmSync(fsRoot, { recursive: true, force: true });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** A stream of `size` random bytes delivered in 64 KiB pieces, and its sha256. */
function randomStream(size: number) {
  const data = randomBytes(size);
  const hash = createHash("sha256").update(data).digest("hex");
  async function* pieces() {
    for (let i = 0; i < size; i += 65536) yield data.subarray(i, i + 65536);
  }
  return { stream: Readable.from(pieces()), hash };
}

const drivers: [string, ObjectStorage][] = [
  ["s3 (s3rver)", s3.storage],
  ["fs", createFsStorage(fsRoot)],
];

describe.each(drivers)("%s driver", (_name, storage) => {
  const key = (name: string) => `workspaces/ws/bots/bot/documents/doc/${name}`;

  it("stores a small buffer and reads it back with its size", async () => {
    await storage.put(key("small"), Buffer.from("hello docent"), { contentType: "text/plain" });
    expect((await readAll(await storage.get(key("small")))).toString()).toBe("hello docent");
    expect((await storage.head(key("small")))?.size).toBe(12);
  });

  it("streams a 12 MB body (multipart on S3) and returns the same bytes", async () => {
    const { stream, hash } = randomStream(12 * 1024 * 1024);
    await storage.put(key("large"), stream, { contentType: "application/octet-stream" });
    const back = await readAll(await storage.get(key("large")));
    expect(back.length).toBe(12 * 1024 * 1024);
    expect(createHash("sha256").update(back).digest("hex")).toBe(hash);
  });

  it("reports a missing object as not found and deletes idempotently", async () => {
    expect(await storage.head(key("missing"))).toBeUndefined();
    await expect(storage.get(key("missing"))).rejects.toBeInstanceOf(ObjectNotFoundError);
    await storage.put(key("gone"), Buffer.from("x"));
    await storage.delete(key("gone"));
    await storage.delete(key("gone"));
    expect(await storage.head(key("gone"))).toBeUndefined();
  });

  it("refuses keys that could escape the storage root", async () => {
    for (const bad of ["../etc/passwd", "/abs/key", "a/../../b", "a//b", "a/./b", "name with space"]) {
      await expect(storage.put(bad, Buffer.from("x"))).rejects.toBeInstanceOf(InvalidStorageKeyError);
    }
  });

  it("leaves no object behind when the body stream fails", async () => {
    async function* failing() {
      yield randomBytes(1024);
      throw new Error("client went away");
    }
    await expect(storage.put(key("broken"), Readable.from(failing()))).rejects.toThrow();
    expect(await storage.head(key("broken"))).toBeUndefined();
  });
});

describe("fs driver", () => {
  it("leaves no temporary files after writes", () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [e.name],
      );
    expect(walk(fsRoot).filter((n) => n.endsWith(".partial"))).toEqual([]);
  });
});

describe("readiness check", () => {
  it("passes when objects can be written", async () => {
    for (const [, storage] of drivers) await expect(storage.check()).resolves.toBeUndefined();
  });

  it("fails for a filesystem root the process cannot write", async () => {
    // A regular file where the root directory should be: mkdir fails for any user (root too).
    const blocked = join(fsRoot, "not-a-directory");
    writeFileSync(blocked, "");
    await expect(createFsStorage(join(blocked, "storage")).check()).rejects.toThrow(/ENOTDIR|EEXIST/);
  });

  it("fails for an S3 bucket that does not exist", async () => {
    const missing = createS3Storage({
      bucket: "no-such-bucket",
      region: "us-east-1",
      endpoint: s3.endpoint,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    await expect(missing.check()).rejects.toThrow();
    missing.close();
  });
});
