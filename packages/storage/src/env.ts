/**
 * Storage configuration, shared by the API and the worker. With no S3 endpoint the
 * local-filesystem driver is used, so a single-machine install needs no object store.
 */
import { fileURLToPath } from "node:url";
import { envFields } from "@docent/config/env";
import { z } from "zod";
import { createFsStorage } from "./fs";
import { createS3Storage } from "./s3";
import type { ObjectStorage } from "./types";

/**
 * The repository's `.data/storage`, whatever the working directory: the API and the
 * worker are started from their own package folders and must share one directory.
 */
export const defaultStorageDir = fileURLToPath(new URL("../../../.data/storage", import.meta.url));

export const storageEnvSchema = z.object({
  /** "s3" or "fs"; default: "s3" when S3_ENDPOINT is set, else "fs". */
  STORAGE_DRIVER: z.enum(["s3", "fs"]).optional(),
  /** Local-filesystem driver root; relative paths resolve against the working directory. */
  STORAGE_DIR: z.string().min(1).default(defaultStorageDir),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_BUCKET: z.string().min(3).max(63).default("docent"),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: envFields.booleanFlag(true),
});
export type StorageEnv = z.infer<typeof storageEnvSchema>;

export function createStorageFromEnv(env: StorageEnv): ObjectStorage {
  const driver = env.STORAGE_DRIVER ?? (env.S3_ENDPOINT ? "s3" : "fs");
  if (driver === "fs") return createFsStorage(env.STORAGE_DIR);
  return createS3Storage({
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
  });
}
