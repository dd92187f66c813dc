/**
 * The pdf.js side of PDF extraction. It runs in a worker thread with a capped heap (see
 * pdf.ts): pdf.js makes a lot of short-lived garbage per page, and a small dedicated heap
 * keeps the process's memory flat on PDFs with thousands of pages; a pathological file
 * can only exhaust the thread, not the worker process. The thread streams pages back as
 * the reader asks for them (credit-based flow control).
 *
 * This file is loaded directly by Node (type stripping), so it must stay self-contained:
 * erasable TypeScript only and no relative imports.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from "node:worker_threads";
import { getDocumentProxy } from "unpdf";

export const PDF_WORKER_KIND = "docent-pdf-extract";

export type WorkerToMain =
  | { type: "ready" }
  | { type: "open"; title?: string; pageCount: number }
  | { type: "page"; page: number; text: string }
  | { type: "done" }
  | { type: "error"; name: string; message: string };
export type MainToWorker =
  | { type: "start"; bytes: Uint8Array }
  | { type: "credit"; pages: number }
  | { type: "stop" };

export interface PdfTextItem {
  str?: string;
  hasEOL?: boolean;
  transform?: number[];
  height?: number;
}

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

export interface OpenedPdf {
  title?: string;
  pageCount: number;
  pageText(pageNumber: number): Promise<string>;
  close(): Promise<void>;
}

/** Opens a PDF in the current thread. */
export async function openPdfDocument(bytes: Uint8Array): Promise<OpenedPdf> {
  const pdf: PdfDocument = await getDocumentProxy(bytes, { verbosity: 0, stopAtErrors: false });
  let title: string | undefined;
  try {
    const meta = await pdf.getMetadata();
    const raw = (meta.info as { Title?: unknown } | undefined)?.Title;
    if (typeof raw === "string" && raw.trim() !== "") title = raw.trim();
  } catch {
    // Metadata is optional.
  }
  const opened: OpenedPdf = {
    pageCount: pdf.numPages,
    async pageText(pageNumber: number): Promise<string> {
      const page = await pdf.getPage(pageNumber);
      const content = await page.getTextContent();
      page.cleanup();
      // Drop pdf.js's per-document caches (parsed pages, fonts) now and then, so memory
      // stays flat on documents with thousands of pages.
      if (pageNumber % 20 === 0) await pdf.cleanup();
      return joinTextItems(content.items as PdfTextItem[]);
    },
    close: () => pdf.loadingTask.destroy(),
  };
  if (title) opened.title = title;
  return opened;
}

/** Joins text items into lines; a vertical gap well above the line height starts a paragraph. */
export function joinTextItems(items: PdfTextItem[]): string {
  let out = "";
  let lastY: number | undefined;
  let lastHeight = 0;
  let atLineStart = true;
  for (const item of items) {
    if (typeof item.str !== "string") continue;
    const y = item.transform?.[5] ?? lastY ?? 0;
    const height = item.height || lastHeight || 10;
    if (item.str !== "") {
      if (lastY !== undefined) {
        const gap = Math.abs(lastY - y);
        if (atLineStart && gap > 1.6 * Math.max(height, lastHeight)) out += "\n";
        else if (!atLineStart && gap > 0.6 * Math.max(height, lastHeight)) out += "\n";
      }
      out += item.str;
      lastY = y;
      lastHeight = height;
      atLineStart = false;
    }
    if (item.hasEOL) {
      out += "\n";
      atLineStart = true;
    }
  }
  return out
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function listen(port: MessagePort): void {
  let credit = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  port.on("message", (message: MainToWorker) => {
    if (message.type === "start") {
      void serve(port, message.bytes, {
        take: async () => {
          while (credit <= 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve));
          credit--;
          return !stopped;
        },
        stopped: () => stopped,
      });
      return;
    }
    if (message.type === "credit") credit += message.pages;
    else stopped = true;
    wake?.();
  });
  port.postMessage({ type: "ready" } satisfies WorkerToMain);
}

async function serve(
  port: MessagePort,
  bytes: Uint8Array,
  flow: { take: () => Promise<boolean>; stopped: () => boolean },
): Promise<void> {
  const post = (message: WorkerToMain) => port.postMessage(message);
  try {
    const pdf = await openPdfDocument(bytes);
    post(pdf.title ? { type: "open", title: pdf.title, pageCount: pdf.pageCount } : { type: "open", pageCount: pdf.pageCount });
    for (let page = 1; page <= pdf.pageCount && !flow.stopped(); page++) {
      const text = await pdf.pageText(page);
      if (text === "") continue;
      if (!(await flow.take())) break;
      post({ type: "page", page, text });
    }
    await pdf.close();
    post({ type: "done" });
  } catch (error) {
    const e = error as { name?: string; message?: string };
    post({ type: "error", name: e?.name ?? "Error", message: e?.message ?? String(error) });
  } finally {
    port.close();
  }
}

const data = workerData as { kind?: string } | null;
if (!isMainThread && parentPort && data?.kind === PDF_WORKER_KIND) listen(parentPort);
