/**
 * Request ids: a caller's `x-request-id` is kept when it looks like an id (so a trace
 * spans the proxy and the services), otherwise a UUID is made. The id is on every log
 * line of the request, in every error body, and echoed in the response header.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";

export const REQUEST_ID_HEADER = "x-request-id";
const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function genRequestId(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === "string" && SAFE_ID.test(incoming) ? incoming : randomUUID();
}

export function registerRequestIdHeader(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}
