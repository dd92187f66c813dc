/**
 * The chat service's OpenAPI 3.1 document is valid, lists every route, and documents each
 * one fully: responses (the shared error body, or the protocol's own for the
 * OpenAI-compatible and MCP routes), authentication, and the docs UI.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../test-support/app";

const db = await useTestDatabase();
const redis = useTestRedis();
const app = await buildTestApp(db, redis, { PUBLIC_CHAT_URL: "https://docent.example.com/chat" });
afterAll(() => app.close());

interface OperationLike {
  operationId: string;
  summary?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { required?: string[] } }> } | undefined>;
}

/** Every route the service serves (registerOpenApi refuses a route without an operationId). */
const ROUTES = [
  "GET /healthz",
  "GET /readyz",
  "POST /v1/bots/{botId}/retrieve",
  "POST /v1/bots/{botId}/chat",
  "GET /v1/bots/{botId}/conversations",
  "GET /v1/bots/{botId}/conversations/{conversationId}",
  "GET /v1/bots/{botId}/analytics",
  "GET /v1/bots/{botId}/topics",
  "POST /v1/bots/{botId}/topics",
  "PUT /v1/bots/{botId}/topics/{topicId}",
  "DELETE /v1/bots/{botId}/topics/{topicId}",
  "PUT /v1/bots/{botId}/topic-settings",
  "GET /v1/bots/{botId}/topics/suggestions",
  "GET /v1/bots/{botId}/topics/stats",
  "GET /v1/bots/{botId}/exports/conversations",
  "GET /v1/bots/{botId}/exports/analytics",
  "POST /v1/messages/{messageId}/feedback",
  "GET /v1/bots/{botId}/curated-answers",
  "POST /v1/bots/{botId}/curated-answers",
  "GET /v1/bots/{botId}/curated-answers/{curatedAnswerId}",
  "PATCH /v1/bots/{botId}/curated-answers/{curatedAnswerId}",
  "DELETE /v1/bots/{botId}/curated-answers/{curatedAnswerId}",
  "GET /v1/bots/{botId}/inbox",
  "POST /v1/bots/{botId}/inbox/handled",
  "POST /v1/mcp/{bot}",
  "GET /v1/mcp/{bot}",
  "DELETE /v1/mcp/{bot}",
  "GET /v1/bots/{botId}/eval-sets",
  "POST /v1/bots/{botId}/eval-sets",
  "GET /v1/bots/{botId}/eval-sets/{setId}",
  "PATCH /v1/bots/{botId}/eval-sets/{setId}",
  "DELETE /v1/bots/{botId}/eval-sets/{setId}",
  "POST /v1/bots/{botId}/eval-sets/{setId}/questions",
  "POST /v1/bots/{botId}/eval-sets/{setId}/import",
  "POST /v1/bots/{botId}/eval-sets/{setId}/from-conversation",
  "POST /v1/bots/{botId}/eval-sets/{setId}/generate",
  "PATCH /v1/bots/{botId}/eval-sets/{setId}/questions/{questionId}",
  "DELETE /v1/bots/{botId}/eval-sets/{setId}/questions/{questionId}",
  "POST /v1/bots/{botId}/eval-sets/{setId}/runs",
  "GET /v1/bots/{botId}/eval-sets/{setId}/runs",
  "GET /v1/bots/{botId}/eval-runs/{runId}",
  "GET /v1/bots/{botId}/eval-runs/{runId}/misses",
  "GET /v1/models",
  "POST /v1/chat/completions",
  "GET /v1/platform/defaults",
  "OPTIONS /v1/widget/{publicId}/{*}",
  "GET /v1/widget/{publicId}/config",
  "POST /v1/widget/{publicId}/chat",
  "POST /v1/widget/{publicId}/messages/{messageId}/feedback",
  "POST /v1/widget/{publicId}/conversations/{conversationId}/handoff",
];

describe("/openapi.json", async () => {
  const response = await app.inject({ method: "GET", url: "/openapi.json" });
  const doc = response.json();
  const operations = Object.entries<Record<string, OperationLike>>(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
  );
  const operation = (route: string) => operations.find((o) => o.route === route)!.op;

  it("validates as OpenAPI 3.1 and names the chat service", async () => {
    expect(response.statusCode).toBe(200);
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBe("Docent chat");
    expect(doc.servers).toEqual([{ url: "https://docent.example.com/chat" }]);
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("lists every route, each with a unique operation id, a summary and its answer", () => {
    expect(operations.map((o) => o.route).sort()).toEqual([...ROUTES].sort());
    for (const route of ROUTES) {
      const [method, path] = route.split(" ") as [string, string];
      expect(app.hasRoute({ method, url: path.replace("{*}", "*").replace(/\{(\w+)\}/g, ":$1") }), route).toBe(true);
    }
    expect(new Set(operations.map((o) => o.op.operationId)).size).toBe(operations.length);
    for (const { route, op } of operations) {
      expect(op.summary, route).toBeTruthy();
      // MCP's GET and DELETE only ever answer 405, documented as such.
      expect(Object.keys(op.responses).some((status) => status.startsWith("2") || status === "405"), route).toBe(true);
    }
  });

  it("documents errors in the shared body, and in the protocol's own where one applies", () => {
    const errorFields = (op: OperationLike, status: string) => op.responses[status]?.content?.["application/json"]?.schema?.required;
    for (const { route, op } of operations) {
      const expected = route.endsWith("/v1/models") || route.endsWith("/v1/chat/completions")
        ? ["error", "requestId"]
        : route.includes("/v1/mcp/")
          ? ["jsonrpc", "id", "error"]
          : ["requestId", "statusCode", "error", "message"];
      for (const status of ["400", "500"]) expect(errorFields(op, status), `${route} ${status}`).toEqual(expect.arrayContaining(expected));
    }
  });

  it("documents answers as JSON or as the stream's events, and authentication per route", () => {
    const chat = operation("POST /v1/bots/{botId}/chat");
    expect(Object.keys(chat.responses["200"]!.content!)).toEqual(["application/json", "text/event-stream"]);
    expect(chat.responses["200"]!.content!["application/json"]!.schema!.required).toEqual(
      expect.arrayContaining(["conversationId", "messageId", "answer", "citations"]),
    );
    expect(JSON.stringify(chat.responses["200"]!.content!["text/event-stream"])).toContain('"citations"');
    expect(operation("POST /v1/widget/{publicId}/chat").security).toEqual([]);
    expect(chat.security).toEqual([{ sessionCookie: [] }, { bearerApiKey: [] }]);
  });

  it("serves the docs UI without a session", async () => {
    const page = await app.inject({ method: "GET", url: "/docs/" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("swagger");
  });
});
