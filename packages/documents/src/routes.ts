/**
 * HTTP routes for a bot's documents, as a Fastify plugin the API mounts. Authentication
 * and the error type are injected: `authorize(request, botId, scope)` must throw (or
 * reject) when the caller may not act on the bot, and `createError` turns the service's
 * errors into the host app's error family. Uploads are streamed from the multipart
 * parser straight to object storage.
 */
import { sanitizeName } from "@docent/contracts/names";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import { z } from "zod";
import type { DocumentStatusEvent } from "@docent/queue/status";
import { isDocumentsError } from "./errors";
import type { DocumentsService } from "./service";

export type DocumentScope = "bots:read" | "documents:write";

export interface AuthorizedCaller {
  userId?: string | null;
}

export interface HttpErrorInput {
  statusCode: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** The routes of this plugin, named for hosts that attach per-route options. */
export type DocumentOperation =
  | "uploadDocument"
  | "addUrlDocument"
  | "addTextDocument"
  | "listDocuments"
  | "reindexAllDocuments"
  | "streamDocumentEvents"
  | "getDocument"
  | "downloadDocument"
  | "reindexDocument"
  | "deleteDocument";

export interface DocumentRouteInfo {
  operation: DocumentOperation;
  method: "GET" | "POST" | "DELETE";
  /** Path relative to the plugin prefix, e.g. "/bots/:botId/documents". */
  url: string;
  scope: DocumentScope;
}

/** Extra Fastify route options (config, schema...) merged into one route's own. */
export interface DocumentRouteExtras {
  config?: Record<string, unknown>;
  schema?: Record<string, unknown>;
}

export interface DocumentRoutesOptions {
  service: DocumentsService;
  authorize: (
    request: FastifyRequest,
    botId: string,
    scope: DocumentScope,
  ) => Promise<AuthorizedCaller | void> | AuthorizedCaller | void;
  createError?: (input: HttpErrorInput) => Error;
  /** Hard ceiling for one multipart file; the plan's (lower) limit is enforced by the service. */
  maxUploadBytes?: number;
  /** Comment line sent on idle SSE streams so proxies keep them open. */
  sseHeartbeatMs?: number;
  /** Per-route options from the host (auth config, OpenAPI names, zod schemas). */
  routeOptions?: (route: DocumentRouteInfo) => DocumentRouteExtras;
}

export function defaultCreateError({ statusCode, code, message, details }: HttpErrorInput): Error {
  return Object.assign(new Error(message), { statusCode, code, details });
}

const botParams = z.object({ botId: z.uuid() });
const documentParams = z.object({ botId: z.uuid(), documentId: z.uuid() });
const listQuery = z.object({
  status: z.enum(["PENDING", "PROCESSING", "PROCESSED", "FAILED"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
const urlBody = z.object({
  url: z.string().min(1).max(2048),
  name: z.string().min(1).max(255).optional(),
});
const textBody = z.object({
  name: z.string().min(1).max(255),
  text: z.string().min(1),
});

/**
 * RFC 6266 filename parameters: an ASCII fallback plus the UTF-8 name, without control or
 * format characters (names stored before they were stripped at input included).
 */
export function attachmentDisposition(storedName: string): string {
  const name = sanitizeName(storedName) || "document";
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const documentRoutes: FastifyPluginAsync<DocumentRoutesOptions> = async (
  app: FastifyInstance,
  options,
) => {
  const { service, authorize } = options;
  const createError = options.createError ?? defaultCreateError;
  const maxUploadBytes = options.maxUploadBytes ?? 1024 * 1024 * 1024;
  const heartbeatMs = options.sseHeartbeatMs ?? 15_000;

  // Open event streams never go idle, so they would hold up `app.close()`; end them first.
  const openStreams = new Set<FastifyReply["raw"]>();
  app.addHook("preClose", async () => {
    for (const stream of openStreams) stream.end();
  });

  if (!app.hasRequestDecorator("file")) {
    await app.register(multipart, { limits: { files: 1, fields: 10, parts: 20 } });
  }

  const parse = <T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const fields = result.error.issues.map((i) => ({ field: i.path.join("."), message: i.message }));
    throw createError({
      statusCode: 400,
      code: "validation_error",
      message: `Invalid ${where}: ${fields.map((f) => `${f.field || where} ${f.message}`).join("; ")}`,
      details: { fields },
    });
  };

  const toHttp = (error: unknown): unknown => {
    if (isDocumentsError(error)) {
      return createError({
        statusCode: error.statusCode,
        code: error.code,
        message: error.message,
        details: error.details,
      });
    }
    const e = error as { code?: string };
    if (e?.code === "FST_REQ_FILE_TOO_LARGE") {
      return createError({ statusCode: 413, code: "file_too_large", message: "The file is too large." });
    }
    if (e?.code === "FST_INVALID_MULTIPART_CONTENT_TYPE") {
      return createError({
        statusCode: 415,
        code: "invalid_content_type",
        message: "Upload the file as multipart/form-data with one file field.",
      });
    }
    return error;
  };

  type Handler = (request: FastifyRequest, reply: FastifyReply, scope: DocumentScope) => Promise<unknown>;

  /** Registers one route; the scope goes to the host's route options and to `authorize`. */
  const route = (
    operation: DocumentOperation,
    method: DocumentRouteInfo["method"],
    url: string,
    scope: DocumentScope,
    handler: Handler,
  ) => {
    const extras = options.routeOptions?.({ operation, method, url, scope }) ?? {};
    app.route({
      ...extras,
      method,
      url,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          return await handler(request, reply, scope);
        } catch (error) {
          throw toHttp(error);
        }
      },
    } as RouteOptions);
  };

  route("uploadDocument", "POST", "/bots/:botId/documents", "documents:write", async (request, reply, scope) => {
    const { botId } = parse(botParams, request.params, "path");
    const caller = await authorize(request, botId, scope);
    if (!request.isMultipart()) {
      throw createError({
        statusCode: 415,
        code: "invalid_content_type",
        message: "Upload the file as multipart/form-data with one file field.",
      });
    }
    const file = await request.file({ limits: { fileSize: maxUploadBytes, files: 1 } });
    if (!file) {
      throw createError({ statusCode: 400, code: "validation_error", message: "No file in the upload." });
    }
    const document = await service.addFile({
      botId,
      createdBy: caller?.userId ?? null,
      fileName: file.filename,
      stream: file.file,
      requestId: request.id,
    });
    return reply.code(201).send(document);
  });

  route("addUrlDocument", "POST", "/bots/:botId/documents/url", "documents:write", async (request, reply, scope) => {
    const { botId } = parse(botParams, request.params, "path");
    const body = parse(urlBody, request.body, "body");
    const caller = await authorize(request, botId, scope);
    const document = await service.addUrl({ botId, ...body, createdBy: caller?.userId ?? null, requestId: request.id });
    return reply.code(201).send(document);
  });

  route("addTextDocument", "POST", "/bots/:botId/documents/text", "documents:write", async (request, reply, scope) => {
    const { botId } = parse(botParams, request.params, "path");
    const body = parse(textBody, request.body, "body");
    const caller = await authorize(request, botId, scope);
    const document = await service.addText({ botId, ...body, createdBy: caller?.userId ?? null, requestId: request.id });
    return reply.code(201).send(document);
  });

  route("listDocuments", "GET", "/bots/:botId/documents", "bots:read", async (request, _reply, scope) => {
    const { botId } = parse(botParams, request.params, "path");
    const query = parse(listQuery, request.query, "query");
    await authorize(request, botId, scope);
    return { documents: await service.list(botId, query) };
  });

  route("reindexAllDocuments", "POST", "/bots/:botId/documents/reindex", "documents:write", async (request, reply, scope) => {
    const { botId } = parse(botParams, request.params, "path");
    await authorize(request, botId, scope);
    return reply.code(202).send(await service.reindexAll(botId, { requestId: request.id }));
  });

  route("streamDocumentEvents", "GET", "/bots/:botId/documents/events", "bots:read", async (request, reply, scope) => {
    const { botId } = parse(botParams, request.params, "path");
    await authorize(request, botId, scope);
    // Subscribed before the stream opens, so a Redis outage is an ordinary error answer
    // (503); events that arrive before the snapshot is written follow it.
    const send = (event: DocumentStatusEvent) => reply.raw.write(`event: status\ndata: ${JSON.stringify(event)}\n\n`);
    let early: DocumentStatusEvent[] | null = [];
    const unsubscribe = await service.subscribe(botId, (event) => (early ? early.push(event) : send(event)));
    let documents;
    try {
      documents = await service.list(botId, { limit: 200 });
    } catch (error) {
      await unsubscribe();
      throw error;
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    // The snapshot first, so a client that connects mid-ingest starts from the truth.
    raw.write(`event: snapshot\ndata: ${JSON.stringify({ documents })}\n\n`);
    const buffered = early;
    early = null;
    for (const event of buffered) send(event);
    const heartbeat = setInterval(() => raw.write(": ping\n\n"), heartbeatMs);
    openStreams.add(raw);
    const close = () => {
      openStreams.delete(raw);
      clearInterval(heartbeat);
      void unsubscribe();
    };
    request.raw.once("close", close);
    raw.once("close", close);
  });

  route("getDocument", "GET", "/bots/:botId/documents/:documentId", "bots:read", async (request, _reply, scope) => {
    const { botId, documentId } = parse(documentParams, request.params, "path");
    await authorize(request, botId, scope);
    return service.get(botId, documentId);
  });

  route(
    "downloadDocument",
    "GET",
    "/bots/:botId/documents/:documentId/download",
    "bots:read",
    async (request, reply, scope) => {
      const { botId, documentId } = parse(documentParams, request.params, "path");
      await authorize(request, botId, scope);
      const file = await service.download(botId, documentId);
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

  route(
    "reindexDocument",
    "POST",
    "/bots/:botId/documents/:documentId/reindex",
    "documents:write",
    async (request, reply, scope) => {
      const { botId, documentId } = parse(documentParams, request.params, "path");
      await authorize(request, botId, scope);
      return reply.code(202).send(await service.reindex(botId, documentId, { requestId: request.id }));
    },
  );

  route("deleteDocument", "DELETE", "/bots/:botId/documents/:documentId", "documents:write", async (request, reply, scope) => {
    const { botId, documentId } = parse(documentParams, request.params, "path");
    await authorize(request, botId, scope);
    await service.delete(botId, documentId);
    return reply.code(204).send();
  });
};

export default documentRoutes;
