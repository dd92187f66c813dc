/**
 * The chat service as it ships: its compiled start command (the image's CMD runs the same
 * argv) with a model that streams slowly. SIGTERM while an answer is streaming: the
 * stream runs to its `done` event with the whole answer, new requests are turned away,
 * and the process logs its shutdown and exits 0 well within SHUTDOWN_TIMEOUT_MS.
 */
import { describe, expect, it } from "vitest";
import { parseSse } from "../test-support/app";
import { createChatProcessRig } from "../test-support/process-rig";

const { bot, key, start } = await createChatProcessRig({ pieceDelayMs: 60, replyWords: 40, wordPrefix: "word" });

describe("the chat process", () => {
  it("finishes a streaming answer on SIGTERM, then exits 0", async () => {
    const { service, base } = await start({ SHUTDOWN_TIMEOUT_MS: "15000" });

    const streaming = fetch(`${base}/v1/bots/${bot.id}/chat`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ message: "How long is the warranty?", stream: true }),
    });
    const response = await streaming;
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let body = "";
    // Wait for the first tokens, so the answer is really mid-stream when the signal comes.
    while (!body.includes("event: token")) body += decoder.decode((await reader.read()).value);

    const signalled = Date.now();
    service.child.kill("SIGTERM");
    await service.waitForLine(/"msg":"shutting down"/);
    const turnedAway = await fetch(`${base}/healthz`).then(
      (r) => `answered ${r.status}`,
      (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.message,
    );
    expect(turnedAway).toMatch(/^(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|answered 503)$/);

    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) body += decoder.decode(chunk.value);
    const events = parseSse(body);
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect((done.data as { answer: string }).answer).toContain("word39");
    expect(Date.now() - signalled).toBeGreaterThan(500); // it really was still streaming

    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.lines.some((l) => l.includes('"msg":"shutdown complete"'))).toBe(true);
  });
});
