/** The OpenAPI 3.1 document is valid, lists every route, and documents each one fully. */
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { createTestApi } from "./testing/harness";

const { app } = await createTestApi();

/** The parts of an OpenAPI operation object this test reads. */
interface OperationLike {
  operationId: string;
  summary?: string;
  responses: Record<
    string,
    { content?: Record<string, { schema?: { required?: string[] } }> } | undefined
  >;
}

describe("/openapi.json", async () => {
  const response = await app.inject({ method: "GET", url: "/openapi.json" });
  const doc = response.json();

  it("validates as OpenAPI 3.1", async () => {
    expect(response.statusCode).toBe(200);
    expect(doc.openapi).toMatch(/^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("lists every route with an operation id, a summary and error responses", () => {
    const documented = new Set<string>();
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, OperationLike>>(doc.paths)) {
      for (const [method, op] of Object.entries<OperationLike>(item)) {
        documented.add(`${method.toUpperCase()} ${path}`);
        expect(op.operationId, `${method} ${path}`).toBeTruthy();
        expect(operationIds.has(op.operationId), `duplicate ${op.operationId}`).toBe(false);
        operationIds.add(op.operationId);
        expect(op.summary, op.operationId).toBeTruthy();
        for (const status of ["400", "500"]) {
          expect(op.responses[status]?.content?.["application/json"]?.schema?.required, `${op.operationId} ${status}`).toEqual(
            expect.arrayContaining(["requestId", "statusCode", "error", "message"]),
          );
        }
      }
    }
    const routes = app.routeTable
      .filter((r) => r.method !== "HEAD" && !r.url.startsWith("/docs") && r.url !== "/openapi.json")
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, "{$1}")}`);
    expect(routes.length).toBeGreaterThan(35);
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });

  it("describes authentication per route", () => {
    expect(doc.paths["/v1/plans"].get.security).toEqual([]);
    expect(doc.paths["/v1/workspaces/{workspaceId}/bots"].get.security).toEqual([{ sessionCookie: [] }, { bearerApiKey: [] }]);
    expect(doc.paths["/v1/workspaces/{workspaceId}/api-keys"].post.security).toEqual([{ sessionCookie: [] }]);
    expect(doc.paths["/v1/workspaces/{workspaceId}/bots"].post.responses["402"]).toBeDefined();
  });

  it("serves the docs UI", async () => {
    const docs = await app.inject({ method: "GET", url: "/docs" });
    expect([200, 302]).toContain(docs.statusCode);
    const page = await app.inject({ method: "GET", url: "/docs/" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("swagger");
  });
});
