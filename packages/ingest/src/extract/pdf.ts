/**
 * PDF text, page by page, through unpdf (a maintained serverless build of Mozilla's
 * pdf.js). By default pdf.js runs in a worker thread with a capped heap and streams
 * pages back as they are consumed (see pdf-worker.ts), so a 50 MB PDF is read with flat
 * memory: the file's bytes plus a few pages. `openPdf(...).pages()` is the streaming API.
 */
import { Worker } from "node:worker_threads";
import { ExtractionError } from "../errors";
import type { ExtractedDocument, ExtractedSection } from "../types";
import { openPdfDocument, PDF_WORKER_KIND, type MainToWorker, type WorkerToMain } from "./pdf-worker";

export interface PdfReader {
  title?: string;
  pageCount: number;
  /** One section per page that has text, with its 1-based page number. Iterate once. */
  pages(): AsyncGenerator<ExtractedSection & { page: number }>;
  close(): Promise<void>;
}

export interface OpenPdfOptions {
  /**
   * Hand the bytes' buffer to the parser thread instead of copying it (saves one copy of
   * the file). The caller's `bytes` are unusable (detached) afterwards.
   */
  transferBytes?: boolean;
  /** Parse in the calling thread (no worker thread, no heap cap). */
  inThread?: boolean;
  /** Old-generation heap cap of the parser thread in MB. Default 160. */
  maxHeapMb?: number;
  /**
   * Stops parsing when aborted (a processing-time limit): the parser thread is ended and
   * opening or reading pages rejects with the signal's reason. pdf.js skips empty pages
   * inside the thread, so without this a PDF of empty pages gives no point to stop at.
   */
  signal?: AbortSignal;
}

/** Pages requested ahead of the consumer. */
const PREFETCH_PAGES = 8;

/** Set once a worker thread could not load (e.g. a runtime that cannot run the .ts file). */
let workerUnavailable = false;

export async function openPdf(bytes: Uint8Array, options: OpenPdfOptions = {}): Promise<PdfReader> {
  if (bytes.length === 0) throw new ExtractionError("The file is empty.", { code: "empty_file" });
  options.signal?.throwIfAborted();
  if (!options.inThread && !workerUnavailable) {
    const reader = await openInWorker(bytes, options);
    if (reader) return reader;
    workerUnavailable = true;
  }
  return openInThread(bytes, options.signal);
}

export async function extractPdf(bytes: Uint8Array, options: OpenPdfOptions = {}): Promise<ExtractedDocument> {
  const reader = await openPdf(bytes, options);
  try {
    const sections: ExtractedSection[] = [];
    for await (const section of reader.pages()) sections.push(section);
    if (sections.length === 0) throw noTextError();
    return reader.title ? { title: reader.title, sections } : { sections };
  } finally {
    await reader.close();
  }
}

export function noTextError(): ExtractionError {
  return new ExtractionError(
    "The PDF contains no extractable text. It may be a scanned image; text recognition (OCR) is not supported.",
    { code: "empty_file" },
  );
}

async function openInThread(bytes: Uint8Array, signal: AbortSignal | undefined): Promise<PdfReader> {
  let pdf: Awaited<ReturnType<typeof openPdfDocument>>;
  try {
    pdf = await openPdfDocument(bytes.slice());
  } catch (error) {
    throw toExtractionError(error);
  }
  const reader: PdfReader = {
    pageCount: pdf.pageCount,
    async *pages() {
      for (let page = 1; page <= pdf.pageCount; page++) {
        signal?.throwIfAborted();
        let text: string;
        try {
          text = await pdf.pageText(page);
        } catch (error) {
          throw toExtractionError(error);
        }
        if (text !== "") yield { text, page };
      }
    },
    close: () => pdf.close(),
  };
  if (pdf.title) reader.title = pdf.title;
  return reader;
}

/** Null when the worker thread cannot start; the caller then parses in this thread. */
async function openInWorker(bytes: Uint8Array, options: OpenPdfOptions): Promise<PdfReader | null> {
  let worker: Worker;
  try {
    worker = new Worker(new URL("./pdf-worker.ts", import.meta.url), {
      workerData: { kind: PDF_WORKER_KIND },
      // A small young generation: pdf.js's per-page garbage is short-lived, and every MB
      // of semi-space is resident memory of the worker process (measured: ~10 MB less
      // peak RSS than 16 MB on a 10,000-page PDF, at the same speed).
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 160, maxYoungGenerationSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
  } catch {
    return null;
  }

  // pdf.js is configured silent; discard anything it prints rather than mixing it into logs.
  worker.stdout.resume();
  worker.stderr.resume();

  const queue: (WorkerToMain | { type: "crash"; error: unknown })[] = [];
  let wake: (() => void) | undefined;
  const push = (message: (typeof queue)[number]) => {
    queue.push(message);
    wake?.();
    wake = undefined;
  };
  worker.on("message", (message: WorkerToMain) => push(message));
  worker.on("error", (error) => push({ type: "crash", error }));
  worker.on("exit", (code) => push({ type: "crash", error: new Error(`PDF worker exited with code ${code}`) }));
  const next = async () => {
    while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return queue.shift()!;
  };
  const send = (message: MainToWorker) => worker.postMessage(message);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    options.signal?.removeEventListener("abort", onAbort);
    await worker.terminate();
  };
  const onAbort = () => {
    push({ type: "crash", error: options.signal!.reason });
    void close();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  /** What a message other than the expected one means: the abort, or a parser failure. */
  const failure = (message: WorkerToMain | { type: "crash"; error: unknown }): unknown =>
    options.signal?.aborted ? options.signal.reason : messageToError(message);

  // The bytes are handed over only once the thread has loaded, so a thread that cannot
  // start leaves them intact for the in-thread fallback.
  const ready = await next();
  if (ready.type !== "ready") {
    await close();
    if (options.signal?.aborted) throw options.signal.reason;
    return null;
  }
  const owned =
    options.transferBytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes
      : bytes.slice();
  worker.postMessage({ type: "start", bytes: owned } satisfies MainToWorker, [owned.buffer as ArrayBuffer]);

  const first = await next();
  if (first.type !== "open") {
    await close();
    throw failure(first);
  }
  send({ type: "credit", pages: PREFETCH_PAGES });
  const reader: PdfReader = {
    pageCount: first.pageCount,
    async *pages() {
      try {
        while (true) {
          const message = await next();
          if (message.type === "page") {
            send({ type: "credit", pages: 1 });
            yield { text: message.text, page: message.page };
          } else if (message.type === "done") {
            return;
          } else {
            throw failure(message);
          }
        }
      } finally {
        await close();
      }
    },
    close,
  };
  if (first.title) reader.title = first.title;
  return reader;
}

function messageToError(message: WorkerToMain | { type: "crash"; error: unknown }): ExtractionError {
  if (message.type === "error") return toExtractionError(Object.assign(new Error(message.message), { name: message.name }));
  if (message.type === "crash") {
    const code = (message.error as { code?: string }).code;
    if (code === "ERR_WORKER_OUT_OF_MEMORY") {
      return new ExtractionError("The PDF is too complex to read within the memory limit.", {
        cause: message.error,
        code: "corrupt_file",
      });
    }
    return toExtractionError(message.error);
  }
  return new ExtractionError("The PDF could not be read; it may be damaged.", { code: "corrupt_file" });
}

function toExtractionError(error: unknown): ExtractionError {
  if (error instanceof ExtractionError) return error;
  const name = (error as { name?: string } | null)?.name;
  if (name === "PasswordException") {
    return new ExtractionError(
      "The PDF is password-protected. Remove the password (for example by printing it to a new PDF) and upload it again.",
      { cause: error, code: "encrypted_file" },
    );
  }
  if (name === "InvalidPDFException" || name === "FormatError") {
    return new ExtractionError("The file is not a valid PDF; it is damaged or incomplete.", {
      cause: error,
      code: "corrupt_file",
    });
  }
  return new ExtractionError("The PDF could not be read; it may be damaged.", {
    cause: error,
    code: "corrupt_file",
  });
}
