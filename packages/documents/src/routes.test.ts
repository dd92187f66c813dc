/** The plugin hands each route's scope to the host, whose route options reach Fastify. */
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { documentRoutes, type DocumentRouteInfo } from "./routes";
import type { DocumentsService } from "./service";

describe("documentRoutes routeOptions", () => {
  it("merges the host's config and schema into every route, with the scope authorize gets", async () => {
    const seen: DocumentRouteInfo[] = [];
    const registered: { method: string; url: string; config: unknown; operationId: unknown }[] = [];
    const scopes: string[] = [];
    const app = Fastify();
    app.addHook("onRoute", (route) => {
      if (route.method === "HEAD") return;
      registered.push({
        method: String(route.method),
        url: route.url,
        config: route.config,
        operationId: (route.schema as { operationId?: string } | undefined)?.operationId,
      });
    });
    const stub = { get: async () => ({ id: "d" }) } as unknown as DocumentsService;
    await app.register(documentRoutes, {
      prefix: "/v1",
      service: stub,
      authorize: (_request, _botId, scope) => {
        scopes.push(scope);
      },
      routeOptions: (route) => {
        seen.push(route);
        return { config: { botPermission: route.scope }, schema: { operationId: route.operation } };
      },
    });
    await app.ready();

    expect(seen).toHaveLength(10);
    const writes = seen.filter((r) => r.scope === "documents:write").map((r) => r.operation);
    expect(writes.sort()).toEqual(
      ["addTextDocument", "addUrlDocument", "deleteDocument", "reindexAllDocuments", "reindexDocument", "uploadDocument"].sort(),
    );
    for (const info of seen) {
      const route = registered.find((r) => r.method === info.method && r.url === `/v1${info.url}`);
      expect(route, info.operation).toMatchObject({ config: { botPermission: info.scope }, operationId: info.operation });
    }

    const botId = "00000000-0000-4000-8000-000000000001";
    const res = await app.inject({ method: "GET", url: `/v1/bots/${botId}/documents/00000000-0000-4000-8000-000000000002` });
    expect(res.statusCode).toBe(200);
    expect(scopes).toEqual(["bots:read"]);
    await app.close();
  });
});

describe("event streams", () => {
  it("are ended when the app closes, so a shutdown is not held up by an open browser tab", async () => {
    let unsubscribed = false;
    const stub = {
      list: async () => [],
      subscribe: async () => async () => {
        unsubscribed = true;
      },
    } as unknown as DocumentsService;
    const app = Fastify();
    await app.register(documentRoutes, { prefix: "/v1", service: stub, authorize: () => {}, sseHeartbeatMs: 60_000 });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    const ended = new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/v1/bots/00000000-0000-4000-8000-000000000001/documents/events" });
      req.on("response", (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve(body));
      });
      req.on("error", reject);
      req.end();
    });
    // Wait for the snapshot, then close while the stream is open.
    await new Promise((r) => setTimeout(r, 200));
    await app.close();
    expect(await ended).toContain("event: snapshot");
    expect(unsubscribed).toBe(true);
  });
});
