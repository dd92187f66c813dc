import type { ChatAnswerDto } from "@docent/contracts/chat-stream";
import { describe, expect, it } from "vitest";
import { type Citation, consumeChatResponse, type StreamHandlers } from "./chat-stream";

const sse = (body: string, status = 200) => new Response(body, { status, headers: { "content-type": "text/event-stream" } });
const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

const ids = { conversationId: "8a4f2c1e-0000-4000-8000-000000000001", messageId: "8a4f2c1e-0000-4000-8000-000000000002" };
const citation = {
  index: 1,
  chunkId: "8a4f2c1e-0000-4000-8000-000000000003",
  documentId: "8a4f2c1e-0000-4000-8000-000000000004",
  documentName: "manual.pdf",
  page: 3,
  headingPath: ["Warranty"],
  score: 0.8,
  quote: "seven year warranty",
};
const answer: ChatAnswerDto = {
  ...ids,
  answer: "Seven years [1].",
  citations: [citation],
  extractive: true,
  refused: false,
  curated: null,
  model: "extractive-v2",
  usage: { inputTokens: 0, outputTokens: 0 },
  latencyMs: 42,
};

async function run(response: Response) {
  const seen: { start?: unknown; text: string; citations: Citation[]; done?: Parameters<NonNullable<StreamHandlers["onDone"]>>[0]; error?: string } = {
    text: "",
    citations: [],
  };
  await consumeChatResponse(response, {
    onStart: (i) => (seen.start = i),
    onToken: (t) => (seen.text += t),
    onCitations: (c) => (seen.citations = c),
    onDone: (info) => (seen.done = info),
    onError: (m) => (seen.error = m),
  });
  return seen;
}

const shown: Citation = {
  index: 1,
  documentName: "manual.pdf",
  documentId: citation.documentId,
  chunkId: citation.chunkId,
  page: 3,
  headingPath: ["Warranty"],
  content: "seven year warranty",
  score: 0.8,
};

describe("consumeChatResponse", () => {
  it("streams tokens, then the citations with their quote and page, then the stored answer", async () => {
    const seen = await run(
      sse(
        event("start", { ...ids, userMessageId: "8a4f2c1e-0000-4000-8000-000000000005", visitorId: "v_abcdefghijklmnop" }) +
          event("token", { text: "Seven years " }) +
          event("token", { text: "[1]." }) +
          event("citations", { citations: [citation] }) +
          event("done", answer),
      ),
    );
    expect(seen.start).toMatchObject({ ...ids, visitorId: "v_abcdefghijklmnop" });
    expect(seen.text).toBe("Seven years [1].");
    expect(seen.citations).toEqual([shown]);
    expect(seen.done).toEqual(answer);
    expect(seen.error).toBeUndefined();
  });

  it("reports the server's message for a refused request", async () => {
    const refused = new Response(JSON.stringify({ statusCode: 403, error: "ORIGIN_NOT_ALLOWED", message: "This site is not allowed to use this assistant" }), {
      status: 403,
      headers: { "content-type": "application/json" },
    });
    const seen = await run(refused);
    expect(seen.error).toBe("This site is not allowed to use this assistant");
    expect(seen.done).toBeUndefined();
  });

  it("reports an error event in the middle of a stream", async () => {
    const failure = { requestId: "r1", statusCode: 503, error: "DEPENDENCY_UNAVAILABLE", message: "The model timed out" };
    const seen = await run(sse(event("start", { ...ids, userMessageId: ids.messageId }) + event("token", { text: "Part" }) + event("error", failure)));
    expect(seen.text).toBe("Part");
    expect(seen.error).toBe("The model timed out");
    expect(seen.done).toBeUndefined();
  });

  it("ends with an error on an event that is not in the contract's shape, and ignores unknown events", async () => {
    const seen = await run(sse(event("ping", {}) + event("token", { delta: "guessed field" }) + event("token", { text: "never read" })));
    expect(seen.text).toBe("");
    expect(seen.error).toBe("The answer could not be read.");
  });

  it("says done, with nothing, when the stream ends without done or error", async () => {
    const seen = await run(sse(event("token", { text: "Cut" })));
    expect(seen.text).toBe("Cut");
    expect(seen.done).toEqual({});
  });

  it("maps a non-streamed JSON answer onto the same callbacks", async () => {
    const seen = await run(new Response(JSON.stringify({ ...answer, visitorId: "v_abcdefghijklmnop" }), { headers: { "content-type": "application/json" } }));
    expect(seen.start).toEqual(ids);
    expect(seen.text).toBe("Seven years [1].");
    expect(seen.citations).toEqual([shown]);
    expect(seen.done).toMatchObject(answer);
  });
});
