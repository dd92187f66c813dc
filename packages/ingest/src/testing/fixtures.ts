/**
 * Real documents made with real libraries, for tests here and in the worker's
 * integration tests: PDFs with pdfkit (multi-page, encrypted), DOCX with `docx`, and a
 * tiny ZIP writer for "a ZIP that is not a DOCX". Uses devDependencies of @docent/ingest.
 */
import { deflateRawSync, constants as zlibConstants } from "node:zlib";
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from "docx";
import PDFDocument from "pdfkit";

export interface PdfFixtureOptions {
  /** Paragraphs per page; page N is pages[N - 1]. */
  pages: string[][];
  title?: string;
  userPassword?: string;
  ownerPassword?: string;
  compress?: boolean;
}

export function makePdf(options: PdfFixtureOptions): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      compress: options.compress ?? true,
      autoFirstPage: false,
      ...(options.title ? { info: { Title: options.title } } : {}),
      ...(options.userPassword || options.ownerPassword
        ? {
            pdfVersion: "1.7" as const,
            ...(options.userPassword ? { userPassword: options.userPassword } : {}),
            ...(options.ownerPassword ? { ownerPassword: options.ownerPassword } : {}),
            permissions: { printing: "lowResolution" as const },
          }
        : {}),
    });
    const parts: Buffer[] = [];
    doc.on("data", (part: Buffer) => parts.push(part));
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(parts))));
    doc.on("error", reject);
    for (const paragraphs of options.pages) {
      doc.addPage();
      for (const paragraph of paragraphs) {
        doc.text(paragraph);
        doc.moveDown();
      }
    }
    doc.end();
  });
}

export type DocxBlock = { heading: string; level: 1 | 2 | 3 } | { text: string };

export async function makeDocx(blocks: DocxBlock[]): Promise<Uint8Array> {
  const levels = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
  const doc = new Document({
    sections: [
      {
        children: blocks.map((b) =>
          "heading" in b
            ? new Paragraph({ heading: levels[b.level], children: [new TextRun(b.heading)] })
            : new Paragraph({ children: [new TextRun(b.text)] }),
        ),
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** A minimal valid ZIP (deflated entries, central directory included). */
export function makeZip(entries: Record<string, string>): Uint8Array {
  return buildZip(
    Object.entries(entries).map(([name, content]) => {
      const data = Buffer.from(content);
      return { name, data: deflateRawSync(data), crc: crc32(data), uncompressedSize: data.length };
    }),
  );
}

export interface RawZipEntry {
  name: string;
  /** Raw deflate data (method 8). */
  data: Uint8Array;
  crc: number;
  /** What the headers declare; a bomb may lie. */
  uncompressedSize: number;
}

/** Local headers, data, central directory and end record for already-deflated entries. */
export function buildZip(entries: RawZipEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const nameBytes = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.uncompressedSize, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength));
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.uncompressedSize, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + entry.data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, ...centrals, end]));
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';

/**
 * A DOCX-shaped zip bomb: `word/document.xml` inflates to `inflatedMb` MB of spaces from
 * about 1 KB per MB, the way the reported 1.2 MB -> 1.2 GB file did (one fully flushed
 * deflate block of 1 MB repeated, then an empty final block). With `lyingHeaders` the
 * headers declare 1 KB, so only inflating reveals the size. Built in milliseconds.
 */
export function makeDocxZipBomb(options: { inflatedMb: number; lyingHeaders?: boolean }): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024, 0x20), { finishFlush: zlibConstants.Z_FULL_FLUSH });
  const last = deflateRawSync(Buffer.alloc(0));
  const data = Buffer.concat([...Array.from({ length: options.inflatedMb }, () => block), last]);
  const declared = options.lyingHeaders ? 1024 : Math.min(options.inflatedMb * 1024 * 1024, 0xfffffffe);
  const types = Buffer.from(CONTENT_TYPES);
  return buildZip([
    { name: "[Content_Types].xml", data: deflateRawSync(types), crc: crc32(types), uncompressedSize: types.length },
    // The CRC is not that of the content: the guard refuses the file before anyone checks it.
    { name: "word/document.xml", data, crc: 0, uncompressedSize: declared },
  ]);
}

/** A DOCX-shaped zip with `count` tiny entries. */
export function makeDocxWithEntries(count: number): Uint8Array {
  const types = Buffer.from(CONTENT_TYPES);
  const empty = deflateRawSync(Buffer.alloc(0));
  return buildZip([
    { name: "[Content_Types].xml", data: deflateRawSync(types), crc: crc32(types), uncompressedSize: types.length },
    ...Array.from({ length: count - 1 }, (_, i) => ({ name: `word/media/p${i}.bin`, data: empty, crc: 0, uncompressedSize: 0 })),
  ]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * A PDF of `pageCount` empty pages, written by hand (pdfkit takes seconds for thousands of
 * pages): 20,000 pages make about 2 MB, the file that held a worker for 14 minutes.
 */
export function makeEmptyPagesPdf(pageCount: number): Uint8Array {
  const parts: string[] = ["%PDF-1.4\n"];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  const object = (id: number, body: string) => {
    offsets[id] = length;
    const text = `${id} 0 obj\n${body}\nendobj\n`;
    parts.push(text);
    length += text.length;
  };
  const firstPage = 3;
  object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  const kids = Array.from({ length: pageCount }, (_, i) => `${firstPage + i} 0 R`).join(" ");
  object(2, `<< /Type /Pages /Count ${pageCount} /Kids [${kids}] >>`);
  for (let i = 0; i < pageCount; i++) object(firstPage + i, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>");
  const size = firstPage + pageCount;
  const xref = [`xref\n0 ${size}\n`, "0000000000 65535 f \n"];
  for (let id = 1; id < size; id++) xref.push(`${String(offsets[id]).padStart(10, "0")} 00000 n \n`);
  parts.push(...xref, `trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`);
  return new TextEncoder().encode(parts.join(""));
}
