/**
 * S3-compatible driver (AWS S3, MinIO, anything speaking the protocol). Uploads go
 * through lib-storage's `Upload`, which switches to a multipart upload for bodies larger
 * than one part and aborts the parts if the body stream fails.
 */
import { Readable } from "node:stream";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { assertValidKey, ObjectNotFoundError, type ObjectStorage, type PutOptions } from "./types";

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** Unset for AWS S3 itself; MinIO and others need it. */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** MinIO and most self-hosted stores need path-style URLs (`host/bucket/key`). */
  forcePathStyle?: boolean;
  /** Bytes per multipart part (min 5 MiB); memory use is about partSize x queueSize. */
  partSize?: number;
  queueSize?: number;
}

export interface S3Storage extends ObjectStorage {
  readonly client: S3Client;
  /** Creates the bucket when missing (development and tests; production provisions it). */
  ensureBucket(): Promise<void>;
  close(): void;
}

const isNotFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
};

export function createS3Storage(options: S3StorageOptions): S3Storage {
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
    credentials:
      options.accessKeyId && options.secretAccessKey
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
    // Newer SDKs add CRC32 trailers to every upload by default; many S3-compatible
    // stores reject those, so checksums are sent only where the API requires them.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const bucket = options.bucket;
  const partSize = Math.max(options.partSize ?? 8 * 1024 * 1024, 5 * 1024 * 1024);
  const queueSize = options.queueSize ?? 2;

  return {
    driver: "s3",
    client,
    async put(key: string, body: Readable | Buffer, putOptions: PutOptions = {}) {
      assertValidKey(key);
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: key, Body: body, ContentType: putOptions.contentType },
        partSize,
        queueSize,
        leavePartsOnError: false,
      });
      await upload.done();
    },
    async get(key: string) {
      assertValidKey(key);
      try {
        const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const body = result.Body;
        if (body instanceof Readable) return body;
        if (!body) throw new ObjectNotFoundError(key);
        return Readable.fromWeb(body.transformToWebStream() as never);
      } catch (error) {
        if (isNotFound(error)) throw new ObjectNotFoundError(key);
        throw error;
      }
    },
    async head(key: string) {
      assertValidKey(key);
      try {
        const result = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { size: result.ContentLength ?? 0, contentType: result.ContentType };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async delete(key: string) {
      assertValidKey(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
    async check() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },
    async ensureBucket() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
      }
    },
    close() {
      client.destroy();
    },
  };
}
