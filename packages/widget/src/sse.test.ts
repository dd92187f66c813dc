import { describe, expect, it } from "vitest";
import { readSse } from "./sse";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(enc.encode(c));
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>) {
  const out = [];
  for await (const e of readSse(stream)) out.push(e);
  return out;
}

describe("readSse", () => {
  it("reassembles events split across network chunks, including a split multi-byte character", async () => {
    const bytes = new TextEncoder().encode('event: token\ndata: {"text":"caf\u00e9"}\n\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two-byte "é"
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, cut));
        c.enqueue(bytes.slice(cut));
        c.close();
      },
    });
    expect(await collect(stream)).toEqual([{ event: "token", data: '{"text":"café"}' }]);
  });

  it("joins multi-line data, ignores comments and handles CRLF", async () => {
    const events = await collect(streamOf(": ping\r\n\r\nevent: done\r\ndata: a\r\ndata: b\r\n\r\n", "data: tail\n\n"));
    expect(events).toEqual([
      { event: "done", data: "a\nb" },
      { event: "message", data: "tail" },
    ]);
  });
});
