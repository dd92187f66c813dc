/**
 * robots.txt, read once per host and crawl (RFC 9309 as robots-parser reads it): a 4xx
 * answer allows everything; an answer that cannot be had (5xx, timeout, refused address)
 * stops the crawl of that host, since the site may well forbid it.
 */
import robotsParser from "robots-parser";

export interface RobotsRules {
  isAllowed(url: string): boolean;
  /** Seconds between requests the site asks of this user agent, if it asks. */
  crawlDelaySeconds: number | undefined;
  sitemaps: string[];
}

/** 500 KiB: RFC 9309 asks crawlers to read at least this much, and lets them stop there. */
export const ROBOTS_MAX_BYTES = 500 * 1024;

export function parseRobots(robotsUrl: string, text: string, userAgent: string): RobotsRules {
  const robots = robotsParser(robotsUrl, text.slice(0, ROBOTS_MAX_BYTES));
  const token = productToken(userAgent);
  return {
    isAllowed: (url) => robots.isAllowed(url, token) !== false,
    crawlDelaySeconds: robots.getCrawlDelay(token),
    sitemaps: robots.getSitemaps(),
  };
}

export const allowAll: RobotsRules = { isAllowed: () => true, crawlDelaySeconds: undefined, sitemaps: [] };

/** "DocentBot/1.0 (+https://...)" -> "DocentBot": robots.txt groups name the product only. */
export function productToken(userAgent: string): string {
  return userAgent.split(/[\s/]/)[0] || userAgent;
}
