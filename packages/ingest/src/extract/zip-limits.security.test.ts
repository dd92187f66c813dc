/**
 * Issue #12 item 6: a DOCX zip bomb (1.2 MB unpacking to 1.2 GB) drove the worker to
 * 3.9 GB for 80 s and ended with a misleading "not a valid Word document". Zip-based
 * documents are now checked (entry count, unpacked size: declared, then actual while
 * streaming) before mammoth opens them, and fail with a message naming the limit.
 */
import { describe, expect, it } from "vitest";
import { DETECT_HEAD_BYTES, detectFileType } from "../detect/index";
import { ExtractionError } from "../errors";
import { makeDocx, makeDocxWithEntries, makeDocxZipBomb } from "../testing/fixtures";
import { extract } from "./index";
import { assertZipWithinLimits, DEFAULT_ZIP_LIMITS } from "./zip-limits";

async function refusal(promise: Promise<unknown>): Promise<ExtractionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractionError);
  return error as ExtractionError;
}

/** Runs `work` and reports its time and how far the process's RSS rose meanwhile. */
async function measured(work: () => Promise<unknown>) {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms: performance.now() - started, rssRiseMb: (peak - before) / 1024 / 1024 };
}

describe("zip bomb limits for DOCX", () => {
  it("the generated bomb is what was reported: ~1.2 MB, detected as a Word document", () => {
    const bomb = makeDocxZipBomb({ inflatedMb: 1200 });
    expect(bomb.byteLength).toBeLessThan(1.5 * 1024 * 1024);
    expect(detectFileType(bomb.subarray(0, DETECT_HEAD_BYTES), "report.docx").kind).toBe("docx");
  });

  it("refuses a bomb whose headers declare 1.2 GB at once, naming the limit", async () => {
    const bomb = makeDocxZipBomb({ inflatedMb: 1200 });
    let error: ExtractionError | undefined;
    const cost = await measured(async () => {
      error = await refusal(extract({ bytes: bomb, kind: "docx" }));
    });
    expect(error!.code).toBe("limit_exceeded");
    expect(error!.retryable).toBe(false);
    expect(error!.message).toMatch(/unpacks to more than 128 MB/);
    expect(error!.message).toMatch(/contents claim 1200 MB/);
    expect(error!.message).not.toMatch(/not a valid Word/);
    expect(cost.rssRiseMb).toBeLessThan(100);
  });

  it("refuses a bomb whose headers lie, by counting while it inflates, without holding the output", async () => {
    const bomb = makeDocxZipBomb({ inflatedMb: 1200, lyingHeaders: true });
    let error: ExtractionError | undefined;
    const cost = await measured(async () => {
      error = await refusal(extract({ bytes: bomb, kind: "docx" }));
    });
    expect(error!.code).toBe("limit_exceeded");
    expect(error!.message).toMatch(/unpacks to more than 128 MB/);
    // It stops at the limit: about a tenth of the bomb is inflated, and none of it is kept.
    expect(cost.rssRiseMb).toBeLessThan(100);
    expect(cost.ms).toBeLessThan(15_000);
  });

  it("refuses more entries than the limit before reading them", async () => {
    const error = await refusal(extract({ bytes: makeDocxWithEntries(DEFAULT_ZIP_LIMITS.maxEntries + 1), kind: "docx" }));
    expect(error.code).toBe("limit_exceeded");
    expect(error.message).toMatch(/more than 10,000 files inside/);
  });

  it("applies custom limits and passes ordinary documents", async () => {
    const docx = await makeDocx([{ heading: "Policy", level: 1 }, { text: "Ordinary text." }]);
    await expect(assertZipWithinLimits(docx, "The Word document")).resolves.toBeUndefined();
    expect((await extract({ bytes: docx, kind: "docx" })).sections[0]!.text).toContain("Ordinary text.");
    const small = await refusal(assertZipWithinLimits(makeDocxZipBomb({ inflatedMb: 3, lyingHeaders: true }), "The Word document", {
      maxEntries: 10,
      maxUncompressedBytes: 2 * 1024 * 1024,
    }));
    expect(small.message).toMatch(/more than 2 MB/);
  });
});
