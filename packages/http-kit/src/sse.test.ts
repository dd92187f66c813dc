/** The SSE writer as a browser sees it: headers at once, events, heartbeats, and the close callback. */
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { openSse } from "./sse";

describe("openSse", () => {
  it("streams named events and heartbeats, and reports the client leaving", async () => {
    let closed!: () => void;
    const left = new Promise<void>((resolve) => (closed = resolve));
    let aborted = false;
    const app = Fastify();
    app.get("/events", async (_request, reply) => {
      const sse = openSse(reply, { heartbeatMs: 10, onClose: closed });
      sse.signal.addEventListener("abort", () => (aborted = true));
      sse.send("status", { progress: 42 });
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    let body = "";
    const req = httpRequest({ host: "127.0.0.1", port, path: "/events" });
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      req.on("response", (res) => {
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
          if (body.includes(": ping")) resolve(res.headers);
        });
      });
      req.on("error", reject);
      req.end();
    });
    expect(headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(headers["x-request-id"]).toBeTruthy();
    expect(body).toMatch(/^event: status\ndata: \{"progress":42\}\n\n/);
    req.destroy();
    await left;
    expect(aborted).toBe(true);
    await app.close();
  });
});
