/**
 * Issue #12 item 7, the parser side: reading a PDF stops when the caller's signal aborts
 * (the worker's processing-time limit), also while pdf.js walks thousands of empty pages
 * inside its thread, where the reader has no page to stop at.
 */
import { describe, expect, it } from "vitest";
import { makeEmptyPagesPdf } from "../testing/fixtures";
import { openPdf } from "./pdf";

async function readAll(bytes: Uint8Array, signal: AbortSignal) {
  const reader = await openPdf(bytes, { signal });
  try {
    for await (const page of reader.pages()) void page;
    return reader.pageCount;
  } finally {
    await reader.close();
  }
}

describe("PDF reading under a time limit", () => {
  it("stops a 20,000-page PDF of empty pages at the deadline, with the signal's reason", async () => {
    const bytes = makeEmptyPagesPdf(20_000);
    const started = performance.now();
    const error = await readAll(bytes, AbortSignal.timeout(1_000)).then(
      () => undefined,
      (e: unknown) => e,
    );
    const seconds = (performance.now() - started) / 1000;
    expect((error as Error | undefined)?.name).toBe("TimeoutError");
    expect(seconds).toBeLessThan(5);
  });

  it("reads to the end when the deadline is not reached", async () => {
    expect(await readAll(makeEmptyPagesPdf(50), AbortSignal.timeout(30_000))).toBe(50);
  });
});
