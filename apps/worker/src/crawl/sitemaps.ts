/**
 * Reads a sitemap or sitemap index, breadth first, into the page URLs it lists. Bounded
 * so a sitemap bomb ends the run with a reason instead of filling memory: at most
 * `maxFiles` sitemaps, nested at most `maxDepth` indexes deep, each at most `maxBytes`
 * after decompression (HTTP compression and .gz files alike), `maxUrls` URLs in all.
 */
import type { Logger } from "@docent/config/logger";
import { isIngestError } from "@docent/ingest/errors";
import { parseSitemap, sitemapText } from "@docent/ingest/crawl/sitemap";
import { normalizePageUrl } from "@docent/ingest/crawl/scope";
import { CrawlRunError } from "./errors";
import type { CrawlFetcher } from "./fetcher";

export interface SitemapLimits {
  maxFiles: number;
  /** Index levels above the page lists: 1 allows an index of urlsets, no deeper. */
  maxDepth: number;
  maxBytes: number;
  maxUrls: number;
}

export const defaultSitemapLimits: SitemapLimits = { maxFiles: 50, maxDepth: 2, maxBytes: 50 * 1024 * 1024, maxUrls: 50_000 };

const XML_ACCEPT = "application/xml,text/xml;q=0.9,application/gzip;q=0.8,*/*;q=0.1";

export async function readSitemaps(
  fetcher: CrawlFetcher,
  rootUrl: string,
  limits: SitemapLimits,
  signal: AbortSignal,
  log: Logger,
): Promise<{ urls: string[]; truncated: boolean }> {
  const urls: string[] = [];
  const seenUrls = new Set<string>();
  const seenFiles = new Set<string>([rootUrl]);
  let level: string[] = [rootUrl];
  let files = 0;
  let truncated = false;
  for (let depth = 0; level.length > 0; depth++) {
    const next: string[] = [];
    for (const url of level) {
      signal.throwIfAborted();
      if (files >= limits.maxFiles) {
        throw new CrawlRunError(`The sitemap lists more than ${limits.maxFiles} sitemap files; the crawl stopped there.`);
      }
      files++;
      const parsed = await readOne(fetcher, url, limits.maxBytes, rootUrl);
      if (parsed.kind === "index") {
        if (depth >= limits.maxDepth) {
          throw new CrawlRunError(`The sitemap index nests more than ${limits.maxDepth} levels deep (at ${url}); the crawl stopped there.`);
        }
        for (const child of parsed.sitemaps) {
          const normalized = normalizePageUrl(child, url);
          if (normalized && !seenFiles.has(normalized)) {
            seenFiles.add(normalized);
            next.push(normalized);
          }
        }
        continue;
      }
      for (const entry of parsed.urls) {
        const normalized = normalizePageUrl(entry.loc, url);
        if (!normalized || seenUrls.has(normalized)) continue;
        if (urls.length >= limits.maxUrls) {
          truncated = true;
          break;
        }
        seenUrls.add(normalized);
        urls.push(normalized);
      }
    }
    level = next;
  }
  log.info({ files, urls: urls.length, truncated }, "sitemaps read");
  return { urls, truncated };
}

async function readOne(fetcher: CrawlFetcher, url: string, maxBytes: number, rootUrl: string) {
  const what = url === rootUrl ? "The sitemap" : `The sitemap ${url}`;
  try {
    const fetched = await fetcher.fetch(url, {}, XML_ACCEPT);
    if (fetched.notModified) throw new CrawlRunError(`${what} answered 304 to an unconditional request.`);
    const type = (fetched.contentType ?? "").split(";")[0]!.trim().toLowerCase();
    if (type === "text/html" || type === "application/xhtml+xml") {
      throw new CrawlRunError(`${what} is an HTML page, not XML; add it as a website source instead.`);
    }
    return parseSitemap(sitemapText(fetched.bytes, maxBytes));
  } catch (error) {
    if (error instanceof CrawlRunError) throw error;
    if (isIngestError(error)) throw new CrawlRunError(`${what} could not be read: ${error.message}`, { cause: error });
    throw error;
  }
}
