export * from "./types";
export * from "./s3";
export * from "./fs";
export * from "./env";
export * from "./keys";
