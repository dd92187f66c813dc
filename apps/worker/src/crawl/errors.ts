/** A failure of a crawl run as a whole (not of one page), with a reason for the admin. */
export class CrawlRunError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CrawlRunError";
  }
}
