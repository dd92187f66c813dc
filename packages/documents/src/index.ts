export * from "./errors";
export * from "./inspect-upload";
export * from "./limits";
export * from "./purge";
export * from "./queries";
export * from "./service";
export * from "./status-hub";
export * from "./storage-keys";
