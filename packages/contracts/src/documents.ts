/**
 * A bot's documents (knowledge sources), under /v1/bots/:botId/documents. Files are
 * uploaded as multipart/form-data (one `file` field, and optionally a `metadata` field
 * holding the document's metadata as JSON); URLs and pasted text as JSON.
 * Ingestion runs in the worker: a new document starts PENDING and its status, stage and
 * progress change until PROCESSED or FAILED (live on the `events` stream).
 */
import { z } from "zod";
import { nullableTimestamp, timestamp, uuid } from "./common";
import { documentSourceTypes, documentStatuses } from "./enums";
import { documentMetadataSchema } from "./metadata";
import { nameText } from "./names";

export const documentBotParamsSchema = z.object({ botId: uuid });
export const documentParamsSchema = documentBotParamsSchema.extend({ documentId: uuid });

export const listDocumentsQuerySchema = z.object({
  status: z.enum(documentStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const addUrlDocumentBodySchema = z.strictObject({
  url: z.string().min(1).max(2048).describe("An absolute http(s) URL; fetched by the worker, never from a private address."),
  name: nameText(1, 255).optional(),
  metadata: documentMetadataSchema.optional(),
});

export const addTextDocumentBodySchema = z.strictObject({
  name: nameText(1, 255),
  text: z.string().min(1),
  metadata: documentMetadataSchema.optional(),
});

/** A document's editable fields: its metadata, replaced whole (`{}` clears it); filters read it at once, no re-index. */
export const updateDocumentBodySchema = z.strictObject({ metadata: documentMetadataSchema });

export const documentSchema = z
  .object({
    id: uuid,
    botId: uuid,
    name: z.string().describe("Display name (the uploaded file's name without any path)."),
    sourceType: z.enum(documentSourceTypes),
    mimeType: z.string().nullable(),
    sizeBytes: z.number().int().min(0),
    sourceUrl: z.string().nullable(),
    contentHash: z.string().nullable().describe("SHA-256 of the stored original."),
    status: z.enum(documentStatuses),
    stage: z.string().nullable().describe('Current ingestion step while PENDING/PROCESSING, e.g. "queued", "embed".'),
    progress: z.number().int().min(0).max(100),
    chunkCount: z.number().int().min(0),
    errorMessage: z.string().nullable(),
    version: z.number().int().min(1).describe("Increases with every re-index."),
    metadata: documentMetadataSchema,
    processedAt: nullableTimestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("Document");
export type DocumentDto = z.infer<typeof documentSchema>;

export const documentListSchema = z.object({ documents: z.array(documentSchema) });
export const reindexAllResultSchema = z.object({ queued: z.number().int().min(0) });
