/**
 * The one pino base logger. Services create children with context (service, request id,
 * job id). Secrets never reach a log line: the redaction list covers credentials in
 * headers, bodies and config objects.
 */
import { pino, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/** Paths censored in every log line; wildcards cover nesting one level deep. */
export const redactPaths = [
  "password",
  "*.password",
  "currentPassword",
  "*.currentPassword",
  "newPassword",
  "*.newPassword",
  "apiKey",
  "*.apiKey",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "cookie",
  "*.cookie",
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers[\"x-api-key\"]",
  "req.headers[\"x-csrf-token\"]",
  "res.headers[\"set-cookie\"]",
  "llmApiKey",
  "*.llmApiKey",
  "embeddingApiKey",
  "*.embeddingApiKey",
  "encryptionKey",
  "*.encryptionKey",
];

export interface CreateLoggerOptions {
  service: string;
  level?: LoggerOptions["level"];
  /** Where lines go; defaults to stdout. Tests pass a stream to assert on output. */
  destination?: pino.DestinationStream;
}

export function createLogger({ service, level, destination }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    level: level ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
    base: { service },
    redact: { paths: redactPaths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
