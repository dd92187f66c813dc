/**
 * Encoded chunk rows wait in a temporary file until the commit, instead of in memory:
 * the worker's memory stays flat however large the document, and the commit streams
 * the file into COPY. Each process writes under its own directory; directories of
 * processes that no longer exist (SIGKILLed workers) are removed at start-up.
 */
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { once } from "node:events";

const root = join(tmpdir(), "docent-worker-spool");
const processDir = join(root, String(process.pid));

export async function removeOrphanSpools(): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      await rm(join(root, entry), { recursive: true, force: true });
    }
  }
}

/** Removes this process's spool directory (clean shutdown). */
export async function removeOwnSpoolDir(): Promise<void> {
  await rm(processDir, { recursive: true, force: true });
}

export class TupleSpool {
  private stream: WriteStream | undefined;
  readonly path = join(processDir, `${randomUUID()}.copy`);
  count = 0;

  async open(): Promise<void> {
    await mkdir(processDir, { recursive: true });
    this.stream = createWriteStream(this.path);
    await once(this.stream, "open");
  }

  async write(tuples: Buffer[]): Promise<void> {
    if (!this.stream) throw new Error("spool not open");
    this.count += tuples.length;
    if (!this.stream.write(Buffer.concat(tuples))) await once(this.stream, "drain");
  }

  async finish(): Promise<void> {
    if (!this.stream) return;
    this.stream.end();
    await once(this.stream, "finish");
  }

  read(): Readable {
    return createReadStream(this.path, { highWaterMark: 1 << 20 });
  }

  async dispose(): Promise<void> {
    this.stream?.destroy();
    await rm(this.path, { force: true });
  }
}
