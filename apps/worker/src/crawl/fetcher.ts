/**
 * Every request of a crawl (pages, robots.txt, sitemaps, and each redirect) goes through
 * one guarded dispatcher: the address policy of URL ingestion, checked and pinned when
 * each connection opens, public addresses only unless ALLOW_PRIVATE_SOURCE_URLS.
 */
import { fetchUrlConditionally, policyOf, type ConditionalRequest, type FetchUrlOptions } from "@docent/ingest/fetch";
import { createGuardedDispatcher } from "@docent/outbound/dispatcher";

export interface CrawlFetchOptions {
  /** ALLOW_PRIVATE_SOURCE_URLS: private and loopback addresses too (never cloud metadata). */
  allowPrivate: boolean;
  /** Largest page, robots.txt or sitemap accepted (after decompression). */
  maxBytes: number;
  /** One request, redirects included. */
  timeoutMs: number;
  userAgent: string;
  lookup?: FetchUrlOptions["lookup"];
  /** Lets one otherwise refused address through (tests serving a site on 127.0.0.1). */
  allowAddress?: FetchUrlOptions["allowAddress"];
}

export function createCrawlFetcher(options: CrawlFetchOptions, signal: AbortSignal) {
  const policy = policyOf({
    allowPrivate: options.allowPrivate,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...(options.allowAddress ? { allowAddress: options.allowAddress } : {}),
  });
  const dispatcher = createGuardedDispatcher(policy, {
    headersTimeoutMs: options.timeoutMs,
    bodyTimeoutMs: options.timeoutMs,
    connectTimeoutMs: Math.min(options.timeoutMs, 10_000),
  });
  const base: FetchUrlOptions = {
    dispatcher,
    maxBytes: options.maxBytes,
    timeoutMs: options.timeoutMs,
    userAgent: options.userAgent,
    signal,
  };
  return {
    fetch(url: string, conditional: ConditionalRequest = {}, accept?: string) {
      return fetchUrlConditionally(url, conditional, accept ? { ...base, accept } : base);
    },
    close: () => dispatcher.destroy().catch(() => {}),
  };
}

export type CrawlFetcher = ReturnType<typeof createCrawlFetcher>;
