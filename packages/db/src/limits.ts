/**
 * Plan limits in words, for every message that refuses or flags something because of a
 * plan: "5 documents per bot on the Free plan". One place, so the API, the documents
 * service, the ingestion worker and the chat service say it the same way and never show a
 * column name to the people reading it.
 */

/** Limits counted against a workspace's use (null on a plan: no limit). */
export type QuotaLimit =
  | "bots"
  | "documentsPerBot"
  | "storage"
  | "fileSize"
  | "queriesPerMonth"
  | "retrievalsPerMonth"
  | "processingJobsPerMonth"
  | "pagesPerSource"
  | "crawlsPerMonth";

/** Bounds on processing one document (always set). */
export type ProcessingLimit = "pdfPages" | "processingSeconds";

export type LimitName = QuotaLimit | ProcessingLimit;

export const GB = 1024 ** 3;
export const MB = 1024 ** 2;

const count = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 2 });
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/**
 * The amount a plan allows, in words. `max` is in the unit the limit is checked in: bytes
 * for storage and file size, seconds for processing time, a count for the rest.
 */
export function limitAmount(limit: LimitName, max: number): string {
  switch (limit) {
    case "bots":
      return plural(max, "bot", "bots");
    case "documentsPerBot":
      return `${plural(max, "document", "documents")} per bot`;
    case "storage":
      return `${count(max / GB)} GB of document storage`;
    case "fileSize":
      return `${count(max / MB)} MB per file`;
    case "queriesPerMonth":
      return `${plural(max, "question", "questions")} per month`;
    case "retrievalsPerMonth":
      return `${plural(max, "search", "searches")} per month`;
    case "processingJobsPerMonth":
      return `${plural(max, "document processing job", "document processing jobs")} per month`;
    case "pagesPerSource":
      return `${plural(max, "page", "pages")} per website source`;
    case "crawlsPerMonth":
      return `${plural(max, "website crawl", "website crawls")} per month`;
    case "pdfPages":
      return `${plural(max, "page", "pages")} per PDF`;
    case "processingSeconds":
      return `${plural(max, "second", "seconds")} of processing per document`;
  }
}

/** "5 documents per bot on the Free plan". */
export function limitInWords(limit: LimitName, max: number, planName: string): string {
  return `${limitAmount(limit, max)} on the ${planName} plan`;
}

/** "Limit reached: 5 documents per bot on the Free plan." */
export function limitReachedMessage(limit: LimitName, max: number, planName: string): string {
  return `Limit reached: ${limitInWords(limit, max, planName)}.`;
}

/** What a workspace uses of a quota, in words: "12 bots", "a bot with 40 documents". */
export function usageAmount(limit: QuotaLimit, used: number): string {
  switch (limit) {
    case "bots":
      return plural(used, "bot", "bots");
    case "documentsPerBot":
      return `a bot with ${plural(used, "document", "documents")}`;
    case "storage":
      return `${count(used / GB)} GB of documents`;
    case "fileSize":
      return `a ${count(used / MB)} MB file`;
    case "queriesPerMonth":
      return `${plural(used, "question", "questions")} this month`;
    case "retrievalsPerMonth":
      return `${plural(used, "search", "searches")} this month`;
    case "processingJobsPerMonth":
      return `${plural(used, "document processing job", "document processing jobs")} this month`;
    case "pagesPerSource":
      return `a website source of ${plural(used, "page", "pages")}`;
    case "crawlsPerMonth":
      return `${plural(used, "website crawl", "website crawls")} this month`;
  }
}

/** "12 bots, over the limit of 5 bots on the Free plan". */
export function overLimitMessage(limit: QuotaLimit, used: number, max: number, planName: string): string {
  return `${usageAmount(limit, used)}, over the limit of ${limitInWords(limit, max, planName)}`;
}
