/**
 * One crawled HTML page: its links, canonical address, language and robots meta, read from
 * a linkedom DOM, then its main content (boilerplate, navigation and footers dropped) by
 * @mozilla/readability. The main content, as a small HTML document, is what gets indexed
 * and what the content hash covers, so a changed footer or date stamp is not a change.
 */
import { createHash } from "node:crypto";
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { normalizePageUrl } from "./scope";

export interface CrawledPage {
  title: string;
  lang: string | null;
  /** The rel=canonical address, normalized, when the page names one. */
  canonical: string | null;
  /** Absolute http(s) links without fragments, in page order, each once. */
  links: string[];
  /** `<meta name="robots">` says noindex / nofollow. */
  noindex: boolean;
  nofollow: boolean;
  /** The main content as a standalone HTML document (what is indexed). */
  mainHtml: string;
  /** hex SHA-256 of the main content's text and title. */
  contentHash: string;
}

export function readPage(html: string, pageUrl: string): CrawledPage {
  const { document } = parseHTML(html);
  const baseHref = document.querySelector("base[href]")?.getAttribute("href");
  const base = (baseHref && normalizePageUrl(baseHref, pageUrl)) || pageUrl;
  const robots = (document.querySelector('meta[name="robots" i]')?.getAttribute("content") ?? "").toLowerCase();
  const canonicalHref = document.querySelector('link[rel~="canonical" i]')?.getAttribute("href");
  const canonical = canonicalHref ? normalizePageUrl(canonicalHref, base) : null;
  const lang = document.documentElement?.getAttribute("lang")?.trim() || null;

  const links: string[] = [];
  const seen = new Set<string>();
  for (const a of document.querySelectorAll("a[href]")) {
    const rel = (a.getAttribute("rel") ?? "").toLowerCase();
    if (rel.split(/\s+/).includes("nofollow")) continue;
    const url = normalizePageUrl(a.getAttribute("href") ?? "", base);
    if (url && !seen.has(url)) {
      seen.add(url);
      links.push(url);
    }
  }
  const docTitle = (document.querySelector("title")?.textContent ?? "").replace(/\s+/g, " ").trim();

  // Readability changes the DOM it reads: links and metadata are taken above.
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 100 }).parse();
  const title = (article?.title || docTitle || new URL(pageUrl).pathname).replace(/\s+/g, " ").trim();
  const content = article?.content ?? document.querySelector("body")?.innerHTML ?? "";
  const text = (article?.textContent ?? document.querySelector("body")?.textContent ?? "").replace(/\s+/g, " ").trim();
  const mainHtml =
    `<!doctype html><html${lang ? ` lang="${escapeHtml(lang)}"` : ""}><head><meta charset="utf-8">` +
    `<title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${content}</main></body></html>`;
  return {
    title,
    lang,
    canonical,
    links,
    noindex: /\bnoindex\b|\bnone\b/.test(robots),
    nofollow: /\bnofollow\b|\bnone\b/.test(robots),
    mainHtml,
    contentHash: createHash("sha256").update(title).update("\n").update(text).digest("hex"),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
