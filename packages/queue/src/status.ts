/**
 * Live document status: the worker publishes every stage/progress change on a Redis
 * pub/sub channel per bot; the API relays it to browsers over SSE. Pub/sub is
 * fire-and-forget on purpose: the document row stays the source of truth, the channel
 * only spares the admin app from polling.
 */
import type { Redis } from "ioredis";
import { z } from "zod";

export const documentStatusEventSchema = z.object({
  documentId: z.uuid(),
  botId: z.uuid(),
  version: z.number().int(),
  status: z.enum(["PENDING", "PROCESSING", "PROCESSED", "FAILED", "DELETED"]),
  stage: z.string().nullable(),
  progress: z.number().int().min(0).max(100),
  chunkCount: z.number().int().min(0),
  errorMessage: z.string().nullable(),
});
export type DocumentStatusEvent = z.infer<typeof documentStatusEventSchema>;

export function documentStatusChannel(prefix: string, botId: string): string {
  return `${prefix}:document-status:${botId}`;
}

export async function publishDocumentStatus(
  redis: Redis,
  prefix: string,
  event: DocumentStatusEvent,
): Promise<void> {
  await redis.publish(documentStatusChannel(prefix, event.botId), JSON.stringify(event));
}

/** A document as its status message reports it (a `bot_documents` row has these fields). */
export interface DocumentStatusSource {
  id: string;
  botId: string;
  version: number;
  status: DocumentStatusEvent["status"];
  stage: string | null;
  progress: number;
  chunkCount: number;
  errorMessage: string | null;
}

/**
 * Publishes the document's status message. Never throws: the row stays the source of
 * truth, so a lost message only leaves an open page behind until it reloads; `onError`
 * hears why.
 */
export async function announceDocumentStatus(
  redis: Redis,
  prefix: string,
  document: DocumentStatusSource,
  onError?: (error: unknown) => void,
): Promise<void> {
  try {
    await publishDocumentStatus(redis, prefix, {
      documentId: document.id,
      botId: document.botId,
      version: document.version,
      status: document.status,
      stage: document.stage,
      progress: document.progress,
      chunkCount: document.chunkCount,
      errorMessage: document.errorMessage,
    });
  } catch (error) {
    onError?.(error);
  }
}

export function parseDocumentStatusMessage(message: string): DocumentStatusEvent | undefined {
  try {
    const result = documentStatusEventSchema.safeParse(JSON.parse(message));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A website source's progress, on the same per-bot channel as documents' (`type:
 * "source"` tells them apart; document messages have none), so the admin's one stream
 * shows crawls too.
 */
export const sourceStatusEventSchema = z.object({
  type: z.literal("source"),
  sourceId: z.uuid(),
  botId: z.uuid(),
  status: z.enum(["pending", "crawling", "completed", "failed"]),
  pagesFound: z.number().int().min(0),
  pagesProcessed: z.number().int().min(0),
  pagesFailed: z.number().int().min(0),
  pagesSkipped: z.number().int().min(0),
  errorMessage: z.string().nullable(),
});
export type SourceStatusEvent = z.infer<typeof sourceStatusEventSchema>;

/** Publishes a source's progress; never throws (the source row is the record). */
export async function announceSourceStatus(
  redis: Redis,
  prefix: string,
  event: Omit<SourceStatusEvent, "type">,
  onError?: (error: unknown) => void,
): Promise<void> {
  try {
    await redis.publish(documentStatusChannel(prefix, event.botId), JSON.stringify({ type: "source", ...event }));
  } catch (error) {
    onError?.(error);
  }
}

export function parseSourceStatusMessage(message: string): SourceStatusEvent | undefined {
  try {
    const result = sourceStatusEventSchema.safeParse(JSON.parse(message));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
