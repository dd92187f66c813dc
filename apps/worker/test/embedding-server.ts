/**
 * A test embedding provider speaking OpenAI's `POST /v1/embeddings`, so tests drive the
 * real `openai` client. Vectors are derived from each text's hash (the same text always
 * gets the same vector); every call's key, model and texts are recorded; `failWith(503)`
 * makes it answer errors (an overloaded provider) until `failWith(null)`.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** 768 numbers derived from the text's hash. */
export function hashVector(text: string): number[] {
  const out: number[] = [];
  for (let block = 0; out.length < 768; block++) {
    for (const byte of createHash("sha256").update(`${block}:${text}`).digest()) out.push(byte / 255 - 0.5);
  }
  const norm = Math.hypot(...out);
  return out.map((x) => x / norm);
}

export async function startEmbeddingServer() {
  const calls: { authorization: string | undefined; model: string; input: string[] }[] = [];
  let failure: number | null = null;
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => {
      if (request.method !== "POST" || request.url !== "/v1/embeddings") {
        response.writeHead(404).end();
        return;
      }
      if (failure !== null) {
        response.writeHead(failure, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: "overloaded", type: "server_error" } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(parts).toString()) as { model: string; input: string[] };
      calls.push({ authorization: request.headers.authorization, model: body.model, input: body.input });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          object: "list",
          model: body.model,
          data: body.input.map((text, index) => ({ object: "embedding", index, embedding: hashVector(text) })),
          usage: { prompt_tokens: 0, total_tokens: 0 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    calls,
    port,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    failWith(status: number | null) {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
