/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas, at `/openapi.json`,
 * and a docs UI at `/docs`. Registration also enforces the documentation rules: every
 * visible route must have an `operationId` and a `summary`; its error responses (in the
 * shared error format) and its security requirement are filled in from `config.auth`.
 */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { errorResponseSchema } from "@docent/contracts/common";
import type { FastifyInstance, RouteOptions } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";
import type { RouteAuth } from "./auth/principal";

export interface OpenApiOptions {
  title: string;
  version: string;
  description?: string;
  servers?: { url: string; description?: string }[];
  sessionCookieName?: string;
  docsPath?: string;
  jsonPath?: string;
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

function errorStatuses(route: RouteOptions, auth: RouteAuth | undefined): number[] {
  const methods = ([] as string[]).concat(route.method);
  // 503: a dependency (database, Redis, storage) is down; the answer carries Retry-After.
  const statuses = [400, 429, 500, 503];
  if (auth && auth.kind !== "public") statuses.push(401, 403);
  if (route.url.includes(":") || auth?.kind === "workspace") statuses.push(404);
  if (methods.some((m) => BODY_METHODS.has(m))) statuses.push(413, 415);
  return statuses;
}

function securityFor(auth: RouteAuth | undefined): Record<string, string[]>[] {
  if (!auth || auth.kind === "public") return [];
  if (auth.kind === "session" || (auth.kind === "workspace" && auth.sessionOnly)) return [{ sessionCookie: [] }];
  return [{ sessionCookie: [] }, { bearerApiKey: [] }];
}

export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  const docsPath = options.docsPath ?? "/docs";
  const jsonPath = options.jsonPath ?? "/openapi.json";

  app.addHook("onRoute", (route) => {
    const schema = (route.schema ?? {}) as Record<string, unknown> & { hide?: boolean; response?: Record<string, unknown> };
    if (schema.hide || route.url.startsWith(docsPath) || route.url === jsonPath) return;
    if (typeof schema.operationId !== "string" || typeof schema.summary !== "string") {
      throw new Error(`route ${String(route.method)} ${route.url} needs schema.operationId and schema.summary`);
    }
    const auth = route.config?.auth;
    const response = { ...(schema.response ?? {}) };
    for (const status of errorStatuses(route, auth)) {
      response[status] ??= errorResponseSchema;
    }
    schema.response = response;
    schema.security ??= securityFor(auth);
    route.schema = schema;
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: options.title, version: options.version, description: options.description },
      servers: options.servers ?? [],
      components: {
        securitySchemes: {
          sessionCookie: {
            type: "apiKey",
            in: "cookie",
            name: options.sessionCookieName ?? "docent_session",
            description:
              "Browser session from POST /v1/auth/login. Mutations also need the x-csrf-token header returned at login.",
          },
          bearerApiKey: { type: "http", scheme: "bearer", description: "Workspace API key: dk_live_..." },
        },
      },
    },
    transform: jsonSchemaTransform,
    // Schemas registered with an id (`.meta({ id })`, e.g. the recursive metadata filter)
    // become components, which the routes' schemas refer to.
    transformObject: jsonSchemaTransformObject,
  });
  // The docs page needs scripts, styles and images from its own routes (and data: images);
  // the API's "nothing at all" policy would blank it. No upgrade-insecure-requests: the API
  // is also served over plain HTTP (development, behind a TLS-terminating proxy).
  await app.register(swaggerUi, { routePrefix: docsPath, staticCSP: DOCS_CONTENT_SECURITY_POLICY });
  app.get(jsonPath, { schema: { hide: true }, config: { auth: { kind: "public" } } }, async () => app.swagger());
}
