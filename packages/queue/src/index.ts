export * from "./jobs";
export * from "./options";
export * from "./producer";
export * from "./redis";
export * from "./status";
export * from "./evals";
