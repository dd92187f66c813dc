/**
 * MCP sessions never hold the chat process up: the compiled service, an MCP client that
 * has initialised (and so holds keep-alive connections), a tool call in flight when
 * SIGTERM comes. The call completes, the process exits 0 at once after it, far within
 * SHUTDOWN_TIMEOUT_MS.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { createChatProcessRig } from "../../test-support/process-rig";

const { bot, key, start, llm } = await createChatProcessRig({ pieceDelayMs: 40, replyWords: 20, wordPrefix: "w" });

describe("MCP and SIGTERM", () => {
  it("finishes the tool call in flight and exits 0 without waiting for the idle MCP client", async () => {
    const { service, base } = await start({ SHUTDOWN_TIMEOUT_MS: "20000" });
    const client = new Client({ name: "shutdown-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/v1/mcp/${bot.publicId}`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
    expect((await client.listTools()).tools).toHaveLength(2);

    const asking = client.callTool({ name: "ask", arguments: { question: "How long is the warranty?" } });
    // The model is generating (its reply streams for about a second).
    await expect.poll(() => llm.requests.length, { timeout: 10_000 }).toBe(1);
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
