/**
 * The extract and chunk steps: PDFs are read page by page and chunked as they are read
 * (with page-based progress), so a large PDF never holds all its text, chunks and vectors
 * in memory at once; other kinds are extracted whole and chunked.
 */
import type { ProcessingLimits } from "@docent/db/queries/usage";
import { chunkDocument, chunkSections } from "@docent/ingest/chunk";
import { extract } from "@docent/ingest/extract";
import { openPdf } from "@docent/ingest/extract/pdf";
import type { Chunk, SourceKind } from "@docent/ingest/types";
import { tooManyPages } from "./limits";
import type { ProgressReporter } from "./progress";

export interface ChunkStream {
  chunks: AsyncIterable<Chunk> | Iterable<Chunk>;
  /** How much of the document the chunks read so far cover, 0..1. */
  fraction: () => number;
  close: () => Promise<void>;
}

/** Chunks of the document, streamed for PDFs (with page-based progress), listed otherwise. */
export async function chunkStream(
  bytes: Buffer,
  kind: SourceKind,
  sourceUrl: string | undefined,
  options: { chunkSize: number; chunkOverlap: number },
  progress: ProgressReporter,
  limits: { plan: ProcessingLimits | null; deadline: AbortSignal | undefined },
): Promise<ChunkStream> {
  if (kind === "pdf") {
    // A plain Uint8Array view (pdf.js refuses Node Buffers) over the same memory, handed
    // to the parser thread without a copy; the job never reads these bytes again.
    const reader = await openPdf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      transferBytes: true,
      ...(limits.deadline ? { signal: limits.deadline } : {}),
    });
    if (limits.plan && reader.pageCount > limits.plan.maxPdfPages) {
      await reader.close();
      throw tooManyPages(reader.pageCount, limits.plan);
    }
    await progress.report("extract", 10);
    let pagesRead = 0;
    const pages = (async function* () {
      for await (const page of reader.pages()) {
        pagesRead = page.page;
        yield page;
      }
    })();
    return {
      chunks: chunkSections(pages, options),
      fraction: () => (reader.pageCount > 0 ? pagesRead / reader.pageCount : 0),
      close: () => reader.close(),
    };
  }
  const extracted = await extract({ bytes, kind, sourceUrl });
  await progress.report("chunk", 20);
  const chunks = chunkDocument(extracted, options);
  let consumed = 0;
  return {
    chunks: (function* () {
      for (const chunk of chunks) {
        consumed++;
        yield chunk;
      }
    })(),
    fraction: () => (chunks.length > 0 ? consumed / chunks.length : 1),
    close: async () => {},
  };
}
