/** Which driver a deployment gets from its environment. */
import { parseEnv } from "@docent/config/env";
import { describe, expect, it } from "vitest";
import { createStorageFromEnv, defaultStorageDir, storageEnvSchema } from "./env";

describe("createStorageFromEnv", () => {
  it("uses the local filesystem under the repository's .data when no S3 endpoint is set", () => {
    const env = parseEnv(storageEnvSchema, {});
    expect(env.STORAGE_DIR).toBe(defaultStorageDir);
    expect(defaultStorageDir).toMatch(/\/\.data\/storage$/);
    expect(createStorageFromEnv(env).driver).toBe("fs");
  });

  it("uses S3 when an endpoint is configured, and rejects a malformed one by name", () => {
    const env = parseEnv(storageEnvSchema, { S3_ENDPOINT: "http://minio:9000", S3_FORCE_PATH_STYLE: "true" });
    expect(createStorageFromEnv(env).driver).toBe("s3");
    expect(() => parseEnv(storageEnvSchema, { S3_ENDPOINT: "not a url" })).toThrow(/S3_ENDPOINT/);
  });
});
