import { afterEach, describe, expect, it } from "vitest";
import { startOpsServer, type OpsServer } from "./ops-server";

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(checks: Record<string, () => Promise<unknown>>, shuttingDown = () => false) {
  server = await startOpsServer({ host: "127.0.0.1", port: 0, checks, isShuttingDown: shuttingDown, timeoutMs: 200 });
  return (path: string) => fetch(`http://127.0.0.1:${server!.port}${path}`).then(async (r) => ({ status: r.status, body: await r.json() }));
}

describe("the worker's ops server", () => {
  it("is ready when every check passes", async () => {
    const get = await start({ redis: async () => "PONG", postgres: async () => 1 });
    expect(await get("/healthz")).toEqual({ status: 200, body: { status: "ok" } });
    expect(await get("/readyz")).toEqual({ status: 200, body: { status: "ok", checks: { redis: "ok", postgres: "ok" } } });
  });

  it("names the failing and the hanging check with 503", async () => {
    const get = await start({
      redis: async () => {
        throw new Error("ECONNREFUSED");
      },
      postgres: () => new Promise(() => {}),
    });
    expect(await get("/readyz")).toEqual({ status: 503, body: { status: "unavailable", checks: { redis: "failed", postgres: "timeout" } } });
  });

  it("is not ready while shutting down, though still alive", async () => {
    const get = await start({ redis: async () => "PONG" }, () => true);
    expect((await get("/readyz")).status).toBe(503);
    expect((await get("/healthz")).status).toBe(200);
    expect((await get("/metrics-nope")).status).toBe(404);
  });
});
