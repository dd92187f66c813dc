/**
 * /v1/bots/:botId/sources: a bot's website sources (issue #15). Each route declares
 * `config.auth` plus `botPermission`, checked against the bot's workspace by ../bot-access
 * before the handler, so another tenant's bot or source is a 404. Crawls run in the worker;
 * their progress reaches the admin on the documents' event stream.
 */
import { errorResponseSchema, noContent } from "@docent/contracts/common";
import {
  createSourceBodySchema,
  sourceBotParamsSchema,
  sourceListSchema,
  sourceParamsSchema,
  sourceRunListSchema,
  sourceSchema,
  syncQueuedSchema,
  updateSourceBodySchema,
} from "@docent/contracts/sources";
import { requireAccess, type Permission } from "@docent/http-kit/auth";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../context";
import type { SourceService } from "../services/source-service";

const tags = ["sources"];
const access = (botPermission: Permission) => ({ auth: { kind: "identity" as const }, botPermission });
const runsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

export function registerSourceRoutes({ app }: RouteContext, service: SourceService) {
  const sources = app.withTypeProvider<ZodTypeProvider>();

  sources.post(
    "/v1/bots/:botId/sources",
    {
      config: access("documents:write"),
      schema: {
        operationId: "createSource",
        tags,
        summary: "Add a website (start URL) or sitemap source; it is crawled at once, then on its schedule",
        description:
          "400 UNSAFE_URL for a private or internal address (unless the operator set ALLOW_PRIVATE_SOURCE_URLS), 400 " +
          "VALIDATION_FAILED for a malformed URL or an unknown host, 402 over the plan's pages per source or crawls per month.",
        params: sourceBotParamsSchema,
        body: createSourceBodySchema,
        response: { 201: sourceSchema, 402: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const source = await service.create({
        botId: request.params.botId,
        body: request.body,
        createdBy: requireAccess(request).userId,
        requestId: request.id,
      });
      return reply.code(201).send(source);
    },
  );

  sources.get(
    "/v1/bots/:botId/sources",
    {
      config: access("bots:read"),
      schema: {
        operationId: "listSources",
        tags,
        summary: "The bot's sources with their last crawl and page counts, newest first",
        params: sourceBotParamsSchema,
        response: { 200: sourceListSchema },
      },
    },
    async (request) => ({ sources: await service.list(request.params.botId) }),
  );

  sources.get(
    "/v1/bots/:botId/sources/:sourceId",
    {
      config: access("bots:read"),
      schema: { operationId: "getSource", tags, summary: "One source", params: sourceParamsSchema, response: { 200: sourceSchema } },
    },
    async (request) => service.get(request.params.botId, request.params.sourceId),
  );

  sources.patch(
    "/v1/bots/:botId/sources/:sourceId",
    {
      config: access("documents:write"),
      schema: {
        operationId: "updateSource",
        tags,
        summary: "Change a source's scope, limits or schedule (the next crawl uses them)",
        params: sourceParamsSchema,
        body: updateSourceBodySchema,
        response: { 200: sourceSchema, 402: errorResponseSchema },
      },
    },
    async (request) => service.update(request.params.botId, request.params.sourceId, request.body),
  );

  sources.delete(
    "/v1/bots/:botId/sources/:sourceId",
    {
      config: access("documents:write"),
      schema: {
        operationId: "deleteSource",
        tags,
        summary: "Delete a source, its schedule and its pages' documents with their chunks",
        params: sourceParamsSchema,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await service.remove(request.params.botId, request.params.sourceId);
      return reply.code(204).send();
    },
  );

  sources.post(
    "/v1/bots/:botId/sources/:sourceId/sync",
    {
      config: access("documents:write"),
      schema: {
        operationId: "syncSource",
        tags,
        summary: "Crawl the source now; unchanged pages cost no extraction or embedding",
        description: "409 SOURCE_CRAWL_RUNNING while a crawl of it runs; 402 over the plan's crawls per month.",
        params: sourceParamsSchema,
        response: { 202: syncQueuedSchema, 402: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      await service.sync(request.params.botId, request.params.sourceId, { requestId: request.id });
      return reply.code(202).send({ queued: true as const });
    },
  );

  sources.get(
    "/v1/bots/:botId/sources/:sourceId/runs",
    {
      config: access("bots:read"),
      schema: {
        operationId: "listSourceRuns",
        tags,
        summary: "The source's crawls, newest first: fetched, unchanged, changed, added, removed, failed",
        params: sourceParamsSchema,
        querystring: runsQuerySchema,
        response: { 200: sourceRunListSchema },
      },
    },
    async (request) => ({ runs: await service.runs(request.params.botId, request.params.sourceId, request.query.limit) }),
  );
}
