/**
 * Test helper: an S3-protocol server (s3rver) on 127.0.0.1 with a random port and a
 * throw-away directory, plus a storage client pointed at it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error s3rver ships no type declarations
import S3rver from "s3rver";
import { createS3Storage, type S3Storage } from "./s3";

export interface TestS3 {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  storage: S3Storage;
  stop(): Promise<void>;
}

export async function startTestS3(options: { partSize?: number } = {}): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), "docent-s3rver-"));
  const bucket = "docent-test";
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = (await server.run()) as { address: string; port: number };
  const endpoint = `http://127.0.0.1:${address.port}`;
  // s3rver accepts the well-known S3RVER credentials.
  const accessKeyId = "S3RVER";
  const secretAccessKey = "S3RVER";
  const storage = createS3Storage({
    bucket,
    region: "us-east-1",
    endpoint,
    accessKeyId,
    secretAccessKey,
    forcePathStyle: true,
    partSize: options.partSize,
  });
  return {
    endpoint,
    bucket,
    accessKeyId,
    secretAccessKey,
    storage,
    async stop() {
      storage.close();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
