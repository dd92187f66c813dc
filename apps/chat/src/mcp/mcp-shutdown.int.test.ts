/**
 * MCP sessions never hold the chat process up: the compiled service, an MCP client that
 * has initialised (and so holds keep-alive connections), a tool call in flight when
 * SIGTERM comes. The call completes, the process exits 0 at once after it, far within
 * SHUTDOWN_TIMEOUT_MS.
 */
import { fileURLToPath } from "node:url";
import { useTestDatabase } from "@docent/testing/db";
import { assertBuilt, freePort, spawnService, type ServiceProcess } from "@docent/testing/process";
import { useTestRedis } from "@docent/testing/redis";
import { createLocalEmbedder } from "@docent/embeddings";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApiKey } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot, ensureFreePlan } from "../../test-support/fixtures";
import { startTestLlmServer } from "../../test-support/llm-server";

const chatDir = fileURLToPath(new URL("../..", import.meta.url));
const db = await useTestDatabase();
const redis = useTestRedis();
await ensureFreePlan(db.db);
const llm = await startTestLlmServer({ pieceDelayMs: 40 });
llm.setReply(() => `The warranty lasts three years [1]. ${Array.from({ length: 20 }, (_, i) => `w${i}`).join(" ")}.`);
const { workspace, bot } = await createWorkspaceWithBot(db.db);
await addDocument(db.db, createLocalEmbedder(), bot, "warranty.txt", ["Every router carries a three-year warranty covering hardware defects."]);
const key = await createTestApiKey(db.db, workspace.id);
let service: ServiceProcess | undefined;
beforeAll(() => assertBuilt(chatDir));
afterAll(async () => {
  if (service?.child.exitCode === null) service.child.kill("SIGKILL");
  await llm.close();
});

describe("MCP and SIGTERM", () => {
  it("finishes the tool call in flight and exits 0 without waiting for the idle MCP client", async () => {
    const port = await freePort();
    service = spawnService(chatDir, {
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      CHAT_REDIS_PREFIX: redis.prefix,
      LLM_BASE_URL: llm.baseUrl,
      LLM_API_KEY: "test-key",
      LLM_MODEL: "test-model",
      SHUTDOWN_TIMEOUT_MS: "20000",
    });
    await service.waitForLine(/"msg":"chat service listening"/);
    const client = new Client({ name: "shutdown-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/v1/mcp/${bot.publicId}`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
    expect((await client.listTools()).tools).toHaveLength(2);

    const asking = client.callTool({ name: "ask", arguments: { question: "How long is the warranty?" } });
    await new Promise((r) => setTimeout(r, 300)); // the model is generating
    const signalled = Date.now();
    service.child.kill("SIGTERM");
    const result = await asking;
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { answer: string }).answer).toContain("w19");

    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(10_000);
    await client.close();
  });
});
