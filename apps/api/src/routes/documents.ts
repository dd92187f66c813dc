/**
 * /v1/bots/:botId/documents: the @docent/documents plugin mounted with the API's
 * conventions. Each route gets `config.auth` (session or API key) plus `botPermission`
 * (checked against the bot's workspace by ../bot-access before the handler), its OpenAPI
 * name and the zod schemas of @docent/contracts; the service's errors become the API's
 * error family.
 */
import {
  addTextDocumentBodySchema,
  addUrlDocumentBodySchema,
  documentBotParamsSchema,
  documentListSchema,
  documentParamsSchema,
  documentSchema,
  errorResponseSchema,
  listDocumentsQuerySchema,
  noContent,
  reindexAllResultSchema,
} from "@docent/contracts";
import type { DocumentsService } from "@docent/documents";
import {
  documentRoutes,
  type DocumentOperation,
  type DocumentRouteExtras,
  type HttpErrorInput,
} from "@docent/documents/routes";
import { AppError, InternalError } from "@docent/service-kit/errors";
import type { RouteContext } from "../context";

const tags = ["documents"];

/** The documents service's snake_case codes, in the API's vocabulary where one exists. */
const ERROR_CODES: Record<string, string> = {
  bot_not_found: "NOT_FOUND",
  document_not_found: "NOT_FOUND",
  original_not_stored: "NOT_FOUND",
  validation_error: "VALIDATION_FAILED",
  invalid_input: "VALIDATION_FAILED",
  plan_limit_reached: "QUOTA_EXCEEDED",
  invalid_content_type: "UNSUPPORTED_MEDIA_TYPE",
};

export function toAppError({ statusCode, code, message, details }: HttpErrorInput): AppError {
  return new AppError(message, {
    statusCode,
    code: ERROR_CODES[code] ?? code.toUpperCase(),
    details,
    retryable: statusCode >= 500,
  });
}

const created = { 201: documentSchema, 402: errorResponseSchema };

/** OpenAPI names and schemas per route of the plugin. */
const schemas: Record<DocumentOperation, Record<string, unknown>> = {
  uploadDocument: {
    summary: "Upload a file (multipart/form-data, one `file` field); the type is decided from its bytes",
    description:
      "Accepted: PDF, DOCX, HTML, Markdown, plain text, CSV, JSON. Answers 201 with the PENDING document and queues " +
      "its ingestion; 413 over the plan's file size, 415 for an unsupported type, 402 over a plan limit.",
    consumes: ["multipart/form-data"],
    params: documentBotParamsSchema,
    response: created,
  },
  addUrlDocument: {
    summary: "Add a web page by URL; the worker fetches it (never from a private address)",
    params: documentBotParamsSchema,
    body: addUrlDocumentBodySchema,
    response: created,
  },
  addTextDocument: {
    summary: "Add pasted text as a document",
    params: documentBotParamsSchema,
    body: addTextDocumentBodySchema,
    response: created,
  },
  listDocuments: {
    summary: "Documents of the bot with status, progress and chunk count, newest first",
    params: documentBotParamsSchema,
    querystring: listDocumentsQuerySchema,
    response: { 200: documentListSchema },
  },
  reindexAllDocuments: {
    summary: "Re-index every document of the bot (counts against processing jobs)",
    params: documentBotParamsSchema,
    response: { 202: reindexAllResultSchema, 402: errorResponseSchema },
  },
  streamDocumentEvents: {
    summary: "Server-Sent Events: a `snapshot` of the list, then a `status` event per change",
    description: "Answers text/event-stream; errors before the stream opens are JSON.",
    params: documentBotParamsSchema,
  },
  getDocument: {
    summary: "One document",
    params: documentParamsSchema,
    response: { 200: documentSchema },
  },
  downloadDocument: {
    summary: "Download the stored original (as an attachment, never rendered inline)",
    description: "Answers the original bytes with Content-Disposition: attachment and X-Content-Type-Options: nosniff.",
    params: documentParamsSchema,
  },
  reindexDocument: {
    summary: "Re-index one document",
    params: documentParamsSchema,
    response: { 202: documentSchema, 402: errorResponseSchema },
  },
  deleteDocument: {
    summary: "Delete a document with its chunks and stored original",
    params: documentParamsSchema,
    response: { 204: noContent },
  },
};

export async function registerDocumentRoutes({ app, env }: RouteContext, service: DocumentsService) {
  await app.register(documentRoutes, {
    prefix: "/v1",
    service,
    maxUploadBytes: env.DOCUMENT_UPLOAD_MAX_BYTES,
    createError: toAppError,
    routeOptions: ({ operation, scope }): DocumentRouteExtras => ({
      config: { auth: { kind: "identity" }, botPermission: scope },
      schema: { operationId: operation, tags, ...schemas[operation] },
    }),
    // The bot check already ran (config.botPermission); this only hands over the caller.
    authorize: (request, _botId, scope) => {
      const access = request.access;
      if (!access?.permissions.has(scope)) throw new InternalError(`documents route without a ${scope} bot check`);
      return { userId: access.userId };
    },
  });
}
