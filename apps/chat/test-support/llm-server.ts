/**
 * A test LLM server speaking OpenAI's chat-completions wire protocol, streamed (SSE
 * `chat.completion.chunk` lines, a usage chunk when asked, then `data: [DONE]`) and not,
 * so tests drive the real `openai` client. The reply comes from a function of the
 * request; every request is recorded for assertions (model, key, prompt).
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  authorization: string | undefined;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    stream?: boolean;
    temperature?: number;
    max_tokens?: number;
    max_completion_tokens?: number;
    stream_options?: { include_usage?: boolean };
  };
}

/**
 * The answer for a request: a string (streamed word by word) or the exact stream pieces,
 * so tests can split a `[1]` marker across chunks the way real models do.
 */
export type Reply = (request: RecordedRequest) => string | string[];

export interface TestLlmServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replace the reply function (default: cites source [1]). */
  setReply(reply: Reply): void;
  /** Make the next requests fail with this HTTP status. */
  failWith(status: number | null): void;
  /**
   * Streamed replies stop after their first piece until `gate` settles (null: no pause),
   * so a test can act while an answer is half-way through its stream.
   */
  holdStreams(gate: Promise<unknown> | null): void;
  /** Make the next streamed answers break off (connection destroyed) after this many pieces. */
  breakAfter(pieces: number | null): void;
  close(): Promise<void>;
}

export const defaultReply: Reply = () => "According to the documents, the answer is in the first source [1].";

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString("utf8"));
}

/** Splits text into stream pieces the way a model emits tokens: words with their spaces. */
const pieces = (text: string) => text.match(/\s*\S+/g) ?? [];

const approxTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

export async function startTestLlmServer(opts: { apiKey?: string; /** Pause between streamed pieces. */ pieceDelayMs?: number } = {}): Promise<TestLlmServer> {
  const requests: RecordedRequest[] = [];
  let reply: Reply = defaultReply;
  let failure: number | null = null;
  let hold: Promise<unknown> | null = null;
  let breakAt: number | null = null;

  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      return send(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } });
    }
    if (req.method === "GET" && req.url?.endsWith("/models")) {
      return send(200, { object: "list", data: [{ id: "test-model", object: "model", created: 0, owned_by: "test" }] });
    }
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      return send(404, { error: { message: "not found", type: "invalid_request_error" } });
    }
    const body = (await readJson(req)) as RecordedRequest["body"];
    const recorded = { authorization: req.headers.authorization, body };
    requests.push(recorded);
    if (failure !== null) {
      return send(failure, { error: { message: "upstream failure", type: "server_error" } });
    }
    const answer = reply(recorded);
    const text = Array.isArray(answer) ? answer.join("") : answer;
    const id = `chatcmpl-test${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const promptTokens = approxTokens(body.messages.map((m) => m.content).join("\n"));
    const usage = { prompt_tokens: promptTokens, completion_tokens: approxTokens(text), total_tokens: promptTokens + approxTokens(text) };
    if (!body.stream) {
      return send(200, {
        id,
        object: "chat.completion",
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, finish_reason: "stop", logprobs: null }],
        usage,
      });
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra })}\n\n`;
    res.write(chunk({ role: "assistant", content: "" }, null));
    const gate = hold;
    const parts = Array.isArray(answer) ? answer : pieces(text);
    for (const [i, piece] of parts.entries()) {
      if (breakAt !== null && i >= breakAt) {
        // A provider dying mid-answer: what was sent stays sent, then the connection drops.
        await new Promise((r) => setTimeout(r, 20));
        res.destroy();
        return;
      }
      res.write(chunk({ content: piece }, null));
      if (i === 0 && gate) await gate.catch(() => {});
      if (opts.pieceDelayMs) await new Promise((resolve) => setTimeout(resolve, opts.pieceDelayMs));
    }
    res.write(chunk({}, "stop"));
    if (body.stream_options?.include_usage) {
      res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage })}\n\n`);
    }
    res.end("data: [DONE]\n\n");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setReply: (r) => {
      reply = r;
    },
    failWith: (status) => {
      failure = status;
    },
    holdStreams: (gate) => {
      hold = gate;
    },
    breakAfter: (n) => {
      breakAt = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
