import { describe, expect, it } from "vitest";
import { type Citation, consumeChatResponse } from "./chat-stream";

const sse = (body: string, status = 200) => new Response(body, { status, headers: { "content-type": "text/event-stream" } });

async function run(response: Response) {
  const seen: { start?: unknown; text: string; citations: Citation[]; done: boolean; error?: string } = { text: "", citations: [], done: false };
  await consumeChatResponse(response, {
    onStart: (i) => (seen.start = i),
    onToken: (t) => (seen.text += t),
    onCitations: (c) => (seen.citations = c),
    onDone: () => (seen.done = true),
    onError: (m) => (seen.error = m),
  });
  return seen;
}

describe("consumeChatResponse", () => {
  it("streams tokens, then the citations with their quote and page, then done", async () => {
    const seen = await run(
      sse(
        [
          'event: start\ndata: {"conversationId":"c1","messageId":"m1","visitorId":"v_abcdefghijklmnop"}\n\n',
          'event: token\ndata: {"text":"Seven years "}\n\n',
          'event: token\ndata: {"text":"[1]."}\n\n',
          'event: citations\ndata: {"citations":[{"index":1,"chunkId":"k","documentId":"d","documentName":"manual.pdf","page":3,"headingPath":["Warranty"],"score":0.8,"quote":"seven year warranty"}]}\n\n',
          'event: done\ndata: {"messageId":"m1","latencyMs":42,"extractive":true}\n\n',
        ].join(""),
      ),
    );
    expect(seen.start).toEqual({ conversationId: "c1", messageId: "m1", visitorId: "v_abcdefghijklmnop" });
    expect(seen.text).toBe("Seven years [1].");
    expect(seen.citations).toEqual([
      { index: 1, documentName: "manual.pdf", documentId: "d", chunkId: "k", page: 3, headingPath: ["Warranty"], content: "seven year warranty", score: 0.8 },
    ]);
    expect(seen.done).toBe(true);
  });

  it("reports the server's message for a refused request", async () => {
    const refused = new Response(JSON.stringify({ statusCode: 403, error: "ORIGIN_NOT_ALLOWED", message: "This site is not allowed to use this assistant" }), {
      status: 403,
      headers: { "content-type": "application/json" },
    });
    const seen = await run(refused);
    expect(seen.error).toBe("This site is not allowed to use this assistant");
    expect(seen.done).toBe(false);
  });

  it("reports an error event in the middle of a stream", async () => {
    const seen = await run(sse('event: start\ndata: {}\n\nevent: token\ndata: {"text":"Part"}\n\nevent: error\ndata: {"message":"The model timed out"}\n\n'));
    expect(seen.text).toBe("Part");
    expect(seen.error).toBe("The model timed out");
  });

  it("maps a non-streamed JSON answer onto the same callbacks", async () => {
    const seen = await run(new Response(JSON.stringify({ conversationId: "c", messageId: "m", answer: "Hi [1]", citations: [{ index: 1, documentName: null, quote: "q" }] }), { headers: { "content-type": "application/json" } }));
    expect(seen.text).toBe("Hi [1]");
    expect(seen.citations[0]).toMatchObject({ index: 1, documentName: "Deleted document", content: "q" });
  });
});
