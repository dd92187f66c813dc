/**
 * A test reranker speaking the common `/rerank` wire protocols: Hugging Face
 * text-embeddings-inference (`POST /rerank { query, texts }` -> `[{ index, score }]`) and
 * the Cohere/Jina/vLLM shape (`POST /v1/rerank { model, query, documents, top_n }` ->
 * `{ results: [{ index, relevance_score }] }`). Scores come from a function of the query
 * and document (default: the share of the query's words the document holds); tests can
 * make it slow, fail, answer in part or with unknown indices. Every request is recorded.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RerankRequest {
  path: string;
  authorization: string | undefined;
  body: { model?: string; query: string; documents?: string[]; texts?: string[]; top_n?: number };
}

export type Scorer = (query: string, document: string) => number;

/** How the next answers go wrong (null: they do not). */
export type Fault =
  | { kind: "status"; status: number }
  | { kind: "delay"; ms: number }
  | { kind: "fewer"; keep: number }
  | { kind: "unknown-indices" }
  | { kind: "garbage" };

export interface TestRerankServer {
  /** Base URL; the endpoints are `${url}/rerank` (TEI) and `${url}/v1/rerank` (Cohere shape). */
  url: string;
  requests: RerankRequest[];
  setScorer(scorer: Scorer): void;
  fault(fault: Fault | null): void;
  close(): Promise<void>;
}

export const wordShareScorer: Scorer = (query, document) => {
  const words = query.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const text = document.toLowerCase();
  return words.length ? words.filter((w) => text.includes(w)).length / words.length : 0;
};

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString("utf8"));
}

export async function startTestRerankServer(): Promise<TestRerankServer> {
  const requests: RerankRequest[] = [];
  let scorer: Scorer = wordShareScorer;
  let fault: Fault | null = null;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? "/";
      if (req.method !== "POST" || (path !== "/rerank" && path !== "/v1/rerank")) {
        res.writeHead(404).end();
        return;
      }
      const body = (await readJson(req)) as RerankRequest["body"];
      requests.push({ path, authorization: req.headers.authorization, body });
      const tei = path === "/rerank";
      const documents = (tei ? body.texts : body.documents) ?? [];
      if (fault?.kind === "status") {
        res.writeHead(fault.status, { "content-type": "application/json" }).end(JSON.stringify({ error: "model overloaded" }));
        return;
      }
      if (fault?.kind === "delay") await new Promise((r) => setTimeout(r, fault && fault.kind === "delay" ? fault.ms : 0));
      if (fault?.kind === "garbage") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ranking: "best first" }));
        return;
      }
      let scored = documents
        .map((d, index) => ({ index, score: scorer(body.query, d) }))
        .sort((a, b) => b.score - a.score);
      if (!tei && body.top_n) scored = scored.slice(0, body.top_n);
      if (fault?.kind === "fewer") scored = scored.slice(0, fault.keep);
      if (fault?.kind === "unknown-indices") {
        scored = [{ index: documents.length + 5, score: 0.99 }, { index: -1, score: 0.98 }, ...scored.slice(0, 1), { index: 1.5, score: 0.97 }];
      }
      const payload = tei ? scored : { id: "rr-1", results: scored.map((s) => ({ index: s.index, relevance_score: s.score })) };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(payload));
    })().catch(() => {
      if (!res.headersSent) res.writeHead(400).end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setScorer: (s) => {
      scorer = s;
    },
    fault: (f) => {
      fault = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
