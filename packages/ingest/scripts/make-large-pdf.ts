/**
 * Usage: pnpm --filter @docent/ingest make-large-pdf [out.pdf] [megabytes]
 * Writes a text-only PDF of about that size (default /tmp/docent-large.pdf, 50 MB).
 */
import { writeLargePdf } from "../src/testing/large-pdf";

const out = process.argv[2] ?? "/tmp/docent-large.pdf";
const megabytes = Number(process.argv[3] ?? 50);
const started = performance.now();
const result = writeLargePdf(out, { targetBytes: Math.round(megabytes * 1024 * 1024) });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(`${out}: ${(result.bytes / 1024 / 1024).toFixed(1)} MB, ${result.pages} pages in ${seconds} s\n`);
