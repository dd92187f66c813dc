export * from "./errors";
export * from "./inspect-upload";
export * from "./limits";
export * from "./service";
export * from "./status-hub";
