/**
 * /v1/bots/:botId/documents: a bot's knowledge sources. Each route declares
 * `config.auth` (session or API key) plus `botPermission`, checked against the bot's
 * workspace by ../bot-access before the handler. Uploads are streamed from the multipart
 * parser straight to object storage; `/events` is a Server-Sent Events stream of the
 * bot's document status.
 */
import { addTextDocumentBodySchema, addUrlDocumentBodySchema, documentBotParamsSchema, documentListSchema, documentParamsSchema, documentSchema, listDocumentsQuerySchema, reindexAllResultSchema, updateDocumentBodySchema } from "@docent/contracts/documents";
import { documentMetadataSchema, type DocumentMetadata } from "@docent/contracts/metadata";
import { errorResponseSchema, noContent } from "@docent/contracts/common";
import { sanitizeName } from "@docent/contracts/names";
import type { DocumentStatusEvent, SourceStatusEvent } from "@docent/queue/status";
import { requireAccess, type Permission } from "@docent/http-kit/auth";
import { openSse, type SseStream } from "@docent/http-kit/sse";
import multipart from "@fastify/multipart";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RouteContext } from "../context";
import { documentErrors } from "../services/document-errors";
import type { DocumentsService } from "../services/document-service";
import { eventsAfterSnapshot } from "../services/document-status-hub";

const tags = ["documents"];
/** Comment line sent on idle event streams so proxies keep them open. */
const SSE_HEARTBEAT_MS = 15_000;

const created = { 201: documentSchema, 402: errorResponseSchema };

const access = (botPermission: Permission) => ({ auth: { kind: "identity" as const }, botPermission });

/**
 * RFC 6266 filename parameters: an ASCII fallback plus the UTF-8 name, without control or
 * format characters (names stored before they were stripped at input included).
 */
export function attachmentDisposition(storedName: string): string {
  const name = sanitizeName(storedName) || "document";
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * The upload's optional `metadata` field: the document's metadata as JSON. It must come
 * before the file (the body is stored as it streams); a problem is a 400 naming it.
 */
export function parseMetadataField(fields: Record<string, unknown>): DocumentMetadata | undefined {
  const field = fields.metadata;
  if (field === undefined) return undefined;
  const value = (Array.isArray(field) ? undefined : (field as { type?: string; value?: unknown }))?.value;
  if (typeof value !== "string") throw documentErrors.invalidInput("metadata must be one form field holding a JSON object.", { field: "metadata" });
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw documentErrors.invalidInput("metadata is not valid JSON.", { field: "metadata" });
  }
  const parsed = documentMetadataSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: ["metadata", ...i.path].join("."), message: i.message }));
    throw documentErrors.invalidInput(`Invalid metadata: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, { issues });
  }
  return parsed.data;
}

/** The multipart parser's errors, as the API has always answered them. */
function multipartError(error: unknown): unknown {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === "FST_REQ_FILE_TOO_LARGE") return documentErrors.uploadTooLarge();
  if (code === "FST_INVALID_MULTIPART_CONTENT_TYPE") return documentErrors.notMultipart();
  return error;
}

export async function registerDocumentRoutes({ app, env }: RouteContext, service: DocumentsService) {
  // Its own scope, so the multipart parser serves the upload route and no other route.
  await app.register(
    async (scope) => {
      const documents = scope.withTypeProvider<ZodTypeProvider>();
      await documents.register(multipart, { limits: { files: 1, fields: 10, parts: 20 } });

      // Open event streams never go idle, so they would hold up `app.close()`; end them first.
      const openStreams = new Set<SseStream>();
      documents.addHook("preClose", async () => {
        for (const stream of openStreams) stream.end();
      });

      documents.post(
        "/bots/:botId/documents",
        {
          config: access("documents:write"),
          schema: {
            operationId: "uploadDocument",
            tags,
            summary: "Upload a file (multipart/form-data, one `file` field); the type is decided from its bytes",
            description:
              "Accepted: PDF, DOCX, HTML, Markdown, plain text, CSV, JSON. Answers 201 with the PENDING document and queues " +
              "its ingestion; 413 over the plan's file size, 415 for an unsupported type, 402 over a plan limit. An optional " +
              "`metadata` field, before the file, sets the document's metadata (a JSON object of strings, numbers and string lists).",
            consumes: ["multipart/form-data"],
            params: documentBotParamsSchema,
            response: created,
          },
        },
        async (request, reply) => {
          const { botId } = request.params;
          if (!request.isMultipart()) throw documentErrors.notMultipart();
          try {
            const file = await request.file({ limits: { fileSize: env.DOCUMENT_UPLOAD_MAX_BYTES, files: 1 } });
            if (!file) throw documentErrors.noFile();
            let metadata: DocumentMetadata | undefined;
            try {
              metadata = parseMetadataField(file.fields);
            } catch (error) {
              file.file.resume();
              throw error;
            }
            const document = await service.addFile({
              metadata,
              botId,
              createdBy: requireAccess(request).userId,
              fileName: file.filename,
              stream: file.file,
              requestId: request.id,
            });
            return reply.code(201).send(document);
          } catch (error) {
            throw multipartError(error);
          }
        },
      );

      documents.post(
        "/bots/:botId/documents/url",
        {
          config: access("documents:write"),
          schema: {
            operationId: "addUrlDocument",
            tags,
            summary: "Add a web page by URL; the worker fetches it (never from a private address)",
            params: documentBotParamsSchema,
            body: addUrlDocumentBodySchema,
            response: created,
          },
        },
        async (request, reply) => {
          const { botId } = request.params;
          const createdBy = requireAccess(request).userId;
          return reply.code(201).send(await service.addUrl({ botId, ...request.body, createdBy, requestId: request.id }));
        },
      );

      documents.post(
        "/bots/:botId/documents/text",
        {
          config: access("documents:write"),
          schema: {
            operationId: "addTextDocument",
            tags,
            summary: "Add pasted text as a document",
            params: documentBotParamsSchema,
            body: addTextDocumentBodySchema,
            response: created,
          },
        },
        async (request, reply) => {
          const { botId } = request.params;
          const createdBy = requireAccess(request).userId;
          return reply.code(201).send(await service.addText({ botId, ...request.body, createdBy, requestId: request.id }));
        },
      );

      documents.get(
        "/bots/:botId/documents",
        {
          config: access("bots:read"),
          schema: {
            operationId: "listDocuments",
            tags,
            summary: "Documents of the bot with status, progress and chunk count, newest first",
            params: documentBotParamsSchema,
            querystring: listDocumentsQuerySchema,
            response: { 200: documentListSchema },
          },
        },
        async (request) => ({ documents: await service.list(request.params.botId, request.query) }),
      );

      documents.post(
        "/bots/:botId/documents/reindex",
        {
          config: access("documents:write"),
          schema: {
            operationId: "reindexAllDocuments",
            tags,
            summary: "Re-index every document of the bot (counts against processing jobs)",
            params: documentBotParamsSchema,
            response: { 202: reindexAllResultSchema, 402: errorResponseSchema },
          },
        },
        async (request, reply) => reply.code(202).send(await service.reindexAll(request.params.botId, { requestId: request.id })),
      );

      documents.get(
        "/bots/:botId/documents/events",
        {
          config: access("bots:read"),
          schema: {
            operationId: "streamDocumentEvents",
            tags,
            summary: "Server-Sent Events: a `snapshot` of the list, then a `status` event per change (and a `source` event per website source crawl progress)",
            description: "Answers text/event-stream; errors before the stream opens are JSON.",
            params: documentBotParamsSchema,
          },
        },
        async (request, reply) => {
          const { botId } = request.params;
          // Subscribed, and confirmed by Redis, before the snapshot is read: a change
          // committed after the read arrives as an event, and a Redis outage is an ordinary
          // error answer (503) instead of a stream that never hears anything.
          const early: DocumentStatusEvent[] = [];
          let deliver = (event: DocumentStatusEvent): void => void early.push(event);
          // Website sources' crawl progress rides on the same channel, once the stream is open.
          let deliverSource = (_event: SourceStatusEvent): void => {};
          const unsubscribe = await service.subscribe(botId, (event) => deliver(event), (event) => deliverSource(event));
          let snapshot;
          try {
            snapshot = await service.list(botId, { limit: 200 });
          } catch (error) {
            await unsubscribe();
            throw error;
          }
          const sse = openSse(reply, {
            heartbeatMs: SSE_HEARTBEAT_MS,
            onClose: () => {
              openStreams.delete(sse);
              void unsubscribe();
            },
          });
          // The snapshot first, so a client that connects mid-ingest starts from the truth;
          // then what happened while it was read, minus what it already supersedes.
          sse.send("snapshot", { documents: snapshot });
          for (const event of eventsAfterSnapshot(early, snapshot)) sse.send("status", event);
          deliver = (event) => sse.send("status", event);
          deliverSource = (event) => sse.send("source", event);
          openStreams.add(sse);
        },
      );

      documents.get(
        "/bots/:botId/documents/:documentId",
        {
          config: access("bots:read"),
          schema: {
            operationId: "getDocument",
            tags,
            summary: "One document",
            params: documentParamsSchema,
            response: { 200: documentSchema },
          },
        },
        async (request) => service.get(request.params.botId, request.params.documentId),
      );

      documents.patch(
        "/bots/:botId/documents/:documentId",
        {
          config: access("documents:write"),
          schema: {
            operationId: "updateDocument",
            tags,
            summary: "Replace a document's metadata (retrieval filters see it at once; no re-index)",
            params: documentParamsSchema,
            body: updateDocumentBodySchema,
            response: { 200: documentSchema },
          },
        },
        async (request) => service.updateMetadata(request.params.botId, request.params.documentId, request.body.metadata),
      );

      documents.get(
        "/bots/:botId/documents/:documentId/download",
        {
          config: access("bots:read"),
          schema: {
            operationId: "downloadDocument",
            tags,
            summary: "Download the stored original (as an attachment, never rendered inline)",
            description: "Answers the original bytes with Content-Disposition: attachment and X-Content-Type-Options: nosniff.",
            params: documentParamsSchema,
          },
        },
        async (request, reply) => {
          const file = await service.download(request.params.botId, request.params.documentId);
          return reply
            .header("content-type", file.contentType)
            .header("content-length", String(file.sizeBytes))
            .header("content-disposition", attachmentDisposition(file.fileName))
            .header("x-content-type-options", "nosniff")
            .header("content-security-policy", "sandbox")
            .header("cache-control", "private, no-store")
            .send(file.stream);
        },
      );

      documents.post(
        "/bots/:botId/documents/:documentId/reindex",
        {
          config: access("documents:write"),
          schema: {
            operationId: "reindexDocument",
            tags,
            summary: "Re-index one document",
            params: documentParamsSchema,
            response: { 202: documentSchema, 402: errorResponseSchema },
          },
        },
        async (request, reply) => {
          const { botId, documentId } = request.params;
          return reply.code(202).send(await service.reindex(botId, documentId, { requestId: request.id }));
        },
      );

      documents.delete(
        "/bots/:botId/documents/:documentId",
        {
          config: access("documents:write"),
          schema: {
            operationId: "deleteDocument",
            tags,
            summary: "Delete a document with its chunks and stored original",
            params: documentParamsSchema,
            response: { 204: noContent },
          },
        },
        async (request, reply) => {
          await service.delete(request.params.botId, request.params.documentId);
          return reply.code(204).send();
        },
      );
    },
    { prefix: "/v1" },
  );
}
