/**
 * Real documents made with real libraries, for tests here and in the worker's
 * integration tests: PDFs with pdfkit (multi-page, encrypted), DOCX with `docx`, and a
 * tiny ZIP writer for "a ZIP that is not a DOCX". Uses devDependencies of @docent/ingest.
 */
import { deflateRawSync } from "node:zlib";
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
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.from(content);
    const compressed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, ...centrals, end]));
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
