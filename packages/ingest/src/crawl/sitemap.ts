/**
 * Sitemaps (sitemaps.org): a `urlset` lists pages, a `sitemapindex` lists more sitemaps;
 * either may be gzipped. Bombs end with a reason: a file is read up to `maxBytes` after
 * decompression, entities are not expanded (no DOCTYPE tricks), and the caller bounds how
 * many files and how deep an index may nest.
 */
import { gunzipSync } from "node:zlib";
import { XMLParser } from "fast-xml-parser";
import { ExtractionError } from "../errors";

export interface SitemapEntry {
  loc: string;
  lastmod?: string;
}

export type ParsedSitemap = { kind: "urlset"; urls: SitemapEntry[] } | { kind: "index"; sitemaps: string[] };

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  processEntities: false,
  parseTagValue: false,
  isArray: (name) => name === "url" || name === "sitemap",
});

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function text(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const out = value.trim().replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!);
  return out === "" ? undefined : out;
}

/** The sitemap's XML, gunzipped when it is gzip (by magic number, whatever the URL says). */
export function sitemapText(bytes: Uint8Array, maxBytes: number): string {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes, { maxOutputLength: maxBytes }).toString("utf8");
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
        throw new ExtractionError(`The sitemap is larger than ${Math.round(maxBytes / 1024 / 1024)} MB uncompressed.`, {
          code: "limit_exceeded",
        });
      }
      throw new ExtractionError("The sitemap is not valid gzip.", { cause: error, code: "corrupt_file" });
    }
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

export function parseSitemap(xml: string): ParsedSitemap {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch (error) {
    throw new ExtractionError("The sitemap is not valid XML.", { cause: error, code: "corrupt_file" });
  }
  const index = doc.sitemapindex as { sitemap?: { loc?: unknown }[] } | undefined;
  if (index && typeof index === "object") {
    const sitemaps = (index.sitemap ?? []).map((s) => text(s?.loc)).filter((s): s is string => s !== undefined);
    return { kind: "index", sitemaps };
  }
  const urlset = doc.urlset as { url?: { loc?: unknown; lastmod?: unknown }[] } | undefined;
  if (urlset && typeof urlset === "object") {
    const urls: SitemapEntry[] = [];
    for (const entry of urlset.url ?? []) {
      const loc = text(entry?.loc);
      if (!loc) continue;
      const lastmod = text(entry?.lastmod);
      urls.push(lastmod ? { loc, lastmod } : { loc });
    }
    return { kind: "urlset", urls };
  }
  throw new ExtractionError("This is not a sitemap: no <urlset> or <sitemapindex> element.", { code: "extraction_failed" });
}
