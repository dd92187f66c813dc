/**
 * Usage: pnpm --filter @docent/ingest exec tsx scripts/measure-pdf.ts [file.pdf]
 * Streams a PDF through extraction and chunking as the worker does and prints the time,
 * the chunk count and the peak resident memory (sampled every 50 ms).
 */
import { readFileSync } from "node:fs";
import { chunkSections } from "../src/chunk";
import { openPdf } from "../src/extract/pdf";

const path = process.argv[2] ?? "/tmp/docent-large.pdf";
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
const started = performance.now();
const file = readFileSync(path);
// Hand the file's only copy to the parser thread, as the worker should for large PDFs.
const reader = await openPdf(new Uint8Array(file.buffer, file.byteOffset, file.byteLength), { transferBytes: true });
let chunks = 0;
let tokens = 0;
for await (const chunk of chunkSections(reader.pages(), { chunkSize: 400, chunkOverlap: 60 })) {
  chunks++;
  tokens += chunk.tokenCount;
}
await reader.close();
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `${path}: ${reader.pageCount} pages, ${chunks} chunks, ${tokens} tokens in ${seconds.toFixed(1)} s; peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB\n`,
);
