/**
 * The admin app as production serves it: `dist/` with an SPA fallback and the security
 * headers of infra/nginx/admin.conf (read from the file), `/api/*` and `/chat/*` proxied
 * (prefix stripped, bodies streamed both ways so uploads and SSE work) like nginx does.
 * Also serves plain HTML pages for the widget-embed tests.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { nginxHeaders } from "./nginx-headers";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function listen(server: Server, port = 0): Promise<RunningServer> {
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      const { port: actual } = server.address() as AddressInfo;
      done({
        url: `http://127.0.0.1:${actual}`,
        port: actual,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

function proxy(req: IncomingMessage, res: ServerResponse, target: string, path: string): void {
  const url = new URL(path, target);
  const upstream = httpRequest(
    url,
    { method: req.method, headers: { ...req.headers, host: url.host, "x-forwarded-for": req.socket.remoteAddress ?? "127.0.0.1" } },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
    res.end(JSON.stringify({ statusCode: 502, error: "BAD_GATEWAY", message: "The service behind the proxy is not reachable." }));
  });
  req.pipe(upstream);
}

export function serveAdmin(options: { dist: string; apiUrl: string; chatUrl: string; port?: number }): Promise<RunningServer> {
  const root = resolve(options.dist);
  const appHeaders = nginxHeaders("/");
  const widgetHeaders = nginxHeaders("= /widget.js");
  const server = createServer((req, res) => {
    const raw = req.url ?? "/";
    if (raw.startsWith("/api/")) return proxy(req, res, options.apiUrl, raw.slice(4));
    if (raw.startsWith("/chat/")) return proxy(req, res, options.chatUrl, raw.slice(5));
    const pathname = decodeURIComponent(new URL(raw, "http://x").pathname);
    let file = normalize(join(root, pathname));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, "index.html");
    const headers = pathname === "/widget.js" ? widgetHeaders : appHeaders;
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store", ...headers });
    createReadStream(file).pipe(res);
  });
  return listen(server, options.port);
}

/** A page on its own origin (its own port), for embedding the widget as a customer would. */
export function servePage(html: string): Promise<RunningServer> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  return listen(server);
}
