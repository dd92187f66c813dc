/**
 * Each bot as an MCP server over Streamable HTTP: `POST /v1/mcp/:bot`, where `:bot` is the
 * bot's public id (or its id), authorised with an API key holding the `chat` scope, the
 * same keys and checks as the OpenAI-compatible endpoint.
 *
 * The transport is stateless and answers in JSON: every POST gets a fresh server and
 * transport, nothing is kept between requests, so any chat replica can serve any request
 * and a SIGTERM never waits on an idle session. The server offers no standalone SSE stream
 * (it never sends unprompted messages) and keeps no session to end, so `GET` and `DELETE`
 * answer 405, which the MCP clients expect from such a server.
 *
 * Every failure, authorisation included, is a JSON-RPC error body (`{ jsonrpc, id, error:
 * { code, message, data } }`) with the HTTP status that fits, so MCP clients show the
 * message; tool failures the caller can act on (quota, disabled bot, outage) come back as
 * tool results with `isError`.
 */
import { jsonRpcErrorSchema, jsonRpcResponseSchema, mcpParamsSchema as params } from "@docent/contracts/chat-protocols";
import { noContent } from "@docent/contracts/common";
import { getBot, getBotByPublicId } from "@docent/db/queries/bots";
import { requireIdentity } from "@docent/http-kit/auth";
import { logServerError, normalizeError } from "@docent/http-kit/error-handler";
import { DependencyUnavailableError, ForbiddenError, NotFoundError } from "@docent/service-kit/errors";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "./deps";
import { protocolErrors } from "../http/protocol-errors";
import { createBotMcpServer } from "../mcp/server";

/** JSON-RPC 2.0 error codes: the spec's, and -32000 (server error) for everything HTTP-level. */
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const SERVER_ERROR = -32000;

const MCP_VERSION = "1.0.0";

const jsonRpcId = (body: unknown): string | number | null => {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === "string" || typeof id === "number" ? id : null;
};

function sendJsonRpcError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: number,
  message: string,
  data: Record<string, unknown> = {},
) {
  return reply
    .status(status)
    .type("application/json")
    .send({ jsonrpc: "2.0", id: jsonRpcId(request.body), error: { code, message, data: { ...data, requestId: request.id } } });
}

/** The Fastify request as the SDK's web-standard transport reads it (the body is parsed already). */
function webRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return new Request(`http://${request.hostname || "localhost"}${request.url}`, { method: request.method, headers });
}

export const mcpRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { authorizeBot, db } = deps;
  const identity = { auth: { kind: "identity" as const } };
  const errors = protocolErrors(jsonRpcErrorSchema);
  /** GET and DELETE: what the MCP clients expect from a stateless server. */
  const notOfferedSchema = (operationId: string, summary: string) => ({
    operationId,
    summary,
    params,
    response: { ...errors, 405: jsonRpcErrorSchema },
  });

  app.setErrorHandler((error, request, reply) => {
    const e = normalizeError(error);
    logServerError(deps.errorLog, request, e);
    if (e instanceof DependencyUnavailableError) request.log.warn({ dependency: e.dependency }, "dependency unavailable; answered 503");
    else if (e.statusCode >= 500) request.log.error({ err: error }, "mcp request failed");
    if (e.headers) reply.headers(e.headers);
    const code = e.code === "MALFORMED_JSON" ? PARSE_ERROR : e.statusCode === 400 ? INVALID_REQUEST : SERVER_ERROR;
    const message = e.expose ? e.message : "Internal server error";
    return sendJsonRpcError(request, reply, e.statusCode, code, message, {
      status: e.statusCode,
      error: e.code,
      ...(e.expose && e.details !== undefined ? { details: e.details } : {}),
    });
  });

  /** The bot named in the path, within the key's workspace; anything else reads as not found. */
  async function authorizedBot(request: FastifyRequest, ref: string) {
    const principal = requireIdentity(request);
    if (principal.kind !== "apiKey") {
      throw new ForbiddenError("MCP needs an API key with the chat scope: Authorization: Bearer dk_live_...", {
        code: "API_KEY_REQUIRED",
      });
    }
    const bot = z.uuid().safeParse(ref).success
      ? await getBot(db, { workspaceId: principal.workspaceId, botId: ref })
      : await getBotByPublicId(db, ref);
    if (!bot || bot.workspaceId !== principal.workspaceId) throw new NotFoundError("Bot");
    const { access } = await authorizeBot(request, bot.id, "chat");
    return { bot, apiKeyId: access.apiKeyId! };
  }

  const postSchema = {
    operationId: "mcp",
    summary: "The bot as an MCP server (Streamable HTTP, stateless, JSON answers): send JSON-RPC 2.0 messages",
    params,
    response: { 200: jsonRpcResponseSchema, 202: noContent, ...errors },
  };
  app.post("/v1/mcp/:bot", { config: identity, schema: postSchema }, async (request, reply) => {
    const { bot, apiKeyId } = await authorizedBot(request, request.params.bot);
    const server = createBotMcpServer(
      {
        // A search through MCP is a search of the API: metered and logged like /retrieve.
        search: { retrieve: (params) => deps.searches.retrieve({ ...params, channel: "api", actor: {} }) },
        chat: deps.chat,
        version: MCP_VERSION,
      },
      bot,
      { apiKeyId, requestId: request.id },
    );
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    try {
      await server.connect(transport);
      const response = await transport.handleRequest(webRequest(request), { parsedBody: request.body });
      const body = response.status === 202 || response.body === null ? undefined : await response.text();
      // The transport's answer is serialised JSON already (or nothing): passed on as it is.
      const raw = reply as FastifyReply;
      raw.status(response.status);
      response.headers.forEach((value, name) => {
        if (name !== "content-length") raw.header(name, value);
      });
      return body === undefined ? raw.send() : raw.send(body);
    } finally {
      await server.close();
    }
  });

  // A stateless server: no standalone stream to open, no session to end.
  const notOffered = (what: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    await authorizedBot(request, (request.params as { bot: string }).bot);
    reply.header("allow", "POST");
    return sendJsonRpcError(request, reply, 405, SERVER_ERROR, `Method not allowed: this MCP server ${what}; send JSON-RPC messages with POST.`);
  };
  app.get(
    "/v1/mcp/:bot",
    { config: identity, schema: notOfferedSchema("mcpOpenStream", "Not offered (405): this MCP server sends no unprompted messages") },
    notOffered("offers no standalone event stream"),
  );
  app.delete(
    "/v1/mcp/:bot",
    { config: identity, schema: notOfferedSchema("mcpEndSession", "Not offered (405): this MCP server keeps no sessions") },
    notOffered("keeps no sessions"),
  );
};
