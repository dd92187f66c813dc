/**
 * A real website for the crawl tests, served on 127.0.0.1 by the test itself: pages that
 * link to each other, redirects, robots.txt, sitemaps (an index, a gzipped one), ETag and
 * Last-Modified validators, a page that changes and one that disappears between runs, and
 * the bad cases (a redirect loop, a PDF, a page over the size limit, a page that never
 * answers, sitemap bombs). Every request is recorded, so a test can tell what was asked.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";

export interface SiteRequest {
  path: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  userAgent?: string;
  status: number;
}

const filler = (topic: string) =>
  Array.from({ length: 12 }, (_, i) => `${topic} paragraph ${i + 1} explains the ${topic.toLowerCase()} policy in plain words for every customer.`).join(" ");

export function page(title: string, body: string, extraHead = ""): string {
  return `<!doctype html><html lang="en"><head><title>${title}</title>${extraHead}</head><body>
<nav><a href="/">Home</a> | <a href="/a">Alpha</a> | NavigationMenuText</nav>
<main><article><h1>${title}</h1><p>${body}</p></article></main>
<footer>FooterBoilerplateText <a href="/b#contact">Contact</a></footer></body></html>`;
}

export async function startSite() {
  const requests: SiteRequest[] = [];
  const state = {
    changingVersion: 1,
    goneExists: true,
    /** Served as the body of /changing. */
    changingText: () => `Changing page version ${state.changingVersion}. ${filler("Versioned")}`,
  };
  const etagA = '"alpha-v1"';
  const lastModifiedB = new Date("2026-01-02T03:04:05Z").toUTCString();
  const hanging = new Set<ServerResponse>();
  let origin = "";

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    "/robots.txt": (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`User-agent: *\nDisallow: /private/\n\nUser-agent: OtherBot\nDisallow: /\n\nSitemap: ${origin}/sitemap_index.xml\n`);
    },
    "/": (_req, res) =>
      html(
        res,
        page(
          "Welcome",
          `${filler("Welcome")}
          <a href="/a">Alpha</a> <a href="/b#section-2">Beta section</a> <a href="/b">Beta</a>
          <a href="/old-c">Gamma (moved)</a> <a href="/c-copy">Gamma copy</a> <a href="/private/secret">Secret</a>
          <a href="/manual.pdf">Manual</a> <a href="/gone">Gone soon</a> <a href="/changing">Changing</a>
          <a href="/loop-1">Loop</a> <a href="/big">Big</a> <a href="/slow">Slow</a> <a href="/deep-1">Deep</a>
          <a href="http://elsewhere.invalid/page">Elsewhere</a> <a href="mailto:help@example.com">Mail</a>
          <a href="/noindex">Noindex</a>`,
        ),
      ),
    "/a": (req, res) => {
      if (req.headers["if-none-match"] === etagA) {
        res.writeHead(304, { etag: etagA });
        return res.end();
      }
      html(res, page("Alpha", `Alpha warranty lasts 24 months from delivery. ${filler("Alpha")}`), { etag: etagA });
    },
    "/b": (req, res) => {
      const since = req.headers["if-modified-since"];
      if (since && new Date(since).getTime() >= new Date(lastModifiedB).getTime()) {
        res.writeHead(304, { "last-modified": lastModifiedB });
        return res.end();
      }
      html(res, page("Beta", `Beta returns are accepted within 30 days. ${filler("Beta")}`), { "last-modified": lastModifiedB });
    },
    "/old-c": (_req, res) => redirect(res, "/c"),
    "/c": (_req, res) => html(res, page("Gamma", `Gamma shipping takes three days. ${filler("Gamma")}`, `<link rel="canonical" href="/c">`)),
    // The same page under another address (a print view), naming /c as its canonical address.
    "/c-copy": (_req, res) => html(res, page("Gamma", `Gamma shipping takes three days. ${filler("Gamma")}`, `<link rel="canonical" href="${origin}/c">`)),
    "/private/secret": (_req, res) => html(res, page("Secret", "PrivateSecretText")),
    "/manual.pdf": (_req, res) => {
      res.writeHead(200, { "content-type": "application/pdf" });
      res.end("%PDF-1.4 not really");
    },
    "/gone": (_req, res) => {
      if (!state.goneExists) {
        res.writeHead(404, { "content-type": "text/plain" });
        return res.end("not found");
      }
      html(res, page("Gone soon", `This page will disappear. ${filler("Ephemeral")}`));
    },
    "/changing": (_req, res) => html(res, page("Changing", state.changingText())),
    "/loop-1": (_req, res) => redirect(res, "/loop-2"),
    "/loop-2": (_req, res) => redirect(res, "/loop-1"),
    "/big": (_req, res) => html(res, page("Big", "x".repeat(300 * 1024))),
    "/slow": (_req, res) => {
      // Never answers: the crawl's request timeout must end it.
      hanging.add(res);
    },
    "/deep-1": (_req, res) => html(res, page("Deep one", `${filler("Deep")} <a href="/deep-2">next</a>`)),
    "/deep-2": (_req, res) => html(res, page("Deep two", `${filler("Deeper")} <a href="/deep-3">next</a>`)),
    "/deep-3": (_req, res) => html(res, page("Deep three", `${filler("Deepest")}`)),
    "/noindex": (_req, res) => html(res, page("Noindex", filler("Hidden"), `<meta name="robots" content="noindex">`)),
    // Sitemaps: an index of a gzipped urlset and a plain one.
    "/sitemap_index.xml": (_req, res) =>
      xml(res, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>${origin}/sitemap-1.xml.gz</loc></sitemap><sitemap><loc>${origin}/sitemap-2.xml</loc></sitemap></sitemapindex>`),
    "/sitemap-1.xml.gz": (_req, res) => {
      res.writeHead(200, { "content-type": "application/gzip" });
      res.end(gzipSync(urlset([`${origin}/a`, `${origin}/b`])));
    },
    "/sitemap-2.xml": (_req, res) => xml(res, urlset([`${origin}/c`, `${origin}/changing`, ...(state.goneExists ? [`${origin}/gone`] : [])])),
    // A gzip bomb: 20 MB of whitespace inside a urlset, a few KB on the wire.
    "/sitemap-huge.xml.gz": (_req, res) => {
      res.writeHead(200, { "content-type": "application/gzip" });
      res.end(gzipSync(Buffer.concat([Buffer.from("<urlset>"), Buffer.alloc(20 * 1024 * 1024, 0x20), Buffer.from("</urlset>")])));
    },
    "/not-a-sitemap": (_req, res) => html(res, page("Not XML", filler("Html"))),
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    res.on("finish", () => undefined);
    const handler = routes[path] ?? nestedIndex(path);
    const record: SiteRequest = {
      path,
      ...(req.headers["if-none-match"] ? { ifNoneMatch: String(req.headers["if-none-match"]) } : {}),
      ...(req.headers["if-modified-since"] ? { ifModifiedSince: String(req.headers["if-modified-since"]) } : {}),
      ...(req.headers["user-agent"] ? { userAgent: String(req.headers["user-agent"]) } : {}),
      status: 0,
    };
    requests.push(record);
    res.on("finish", () => (record.status = res.statusCode));
    if (!handler) {
      res.writeHead(404, { "content-type": "text/plain" });
      return res.end("not found");
    }
    handler(req, res);
  });

  /** /nested-N.xml: a sitemap index pointing one level deeper, forever (a nesting bomb). */
  function nestedIndex(path: string) {
    const match = /^\/nested-(\d+)\.xml$/.exec(path);
    if (!match) return undefined;
    const n = Number(match[1]);
    return (_req: IncomingMessage, res: ServerResponse) =>
      xml(res, `<sitemapindex><sitemap><loc>${origin}/nested-${n + 1}.xml</loc></sitemap></sitemapindex>`);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    state,
    requests,
    /** Requests for a path (query and fragment never reach a server). */
    hits: (path: string) => requests.filter((r) => r.path === path),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function html(res: ServerResponse, body: string, headers: Record<string, string> = {}) {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...headers });
  res.end(body);
}

function xml(res: ServerResponse, body: string) {
  res.writeHead(200, { "content-type": "application/xml" });
  res.end(body);
}

function redirect(res: ServerResponse, location: string) {
  res.writeHead(301, { location });
  res.end();
}

function urlset(urls: string[]): string {
  return `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls
    .map((u) => `<url><loc>${u.replace(/&/g, "&amp;")}</loc></url>`)
    .join("")}</urlset>`;
}

export type TestSite = Awaited<ReturnType<typeof startSite>>;
