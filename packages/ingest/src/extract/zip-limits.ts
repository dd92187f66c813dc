/**
 * Zip bomb guard for zip-based formats (DOCX), run before a parser unpacks anything.
 *
 * The central directory is read first: too many entries, or declared sizes that add up
 * past the limit, are refused at once. Declared sizes can lie, so every entry is then
 * inflated as a stream, counting and discarding the output, and the check stops as soon
 * as the running total passes the limit. Memory stays at a few zlib buffers whatever the
 * archive claims, and a refusal costs at most `maxUncompressedBytes` of inflation.
 * Entries are counted as the central directory lists them, so entries that share the
 * same compressed data (overlapping-file bombs) are counted each time, as a parser would
 * unpack them.
 */
import zlib from "node:zlib";
import { ExtractionError } from "../errors";

export interface ZipLimits {
  /** Most entries (files and folders) in the archive. Default 10,000. */
  maxEntries: number;
  /** Most bytes all entries may unpack to, together. Default 128 MiB. */
  maxUncompressedBytes: number;
}

/**
 * A Word document with 100 MB of pictures (the largest upload of any plan) unpacks to
 * about that much; 128 MiB of XML is already hundreds of thousands of pages. The reported
 * bomb unpacked 1.2 MB into 1.2 GB and held 3.9 GB of worker memory for 80 s.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxUncompressedBytes: 128 * 1024 * 1024 };

const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export async function assertZipWithinLimits(
  bytes: Uint8Array,
  what: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<void> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const directory = readDirectory(view, what);
  if (directory.count > limits.maxEntries) throw tooManyEntries(what, limits);
  const entries = readEntries(view, directory, what, limits);

  let declared = 0;
  for (const entry of entries) declared += entry.uncompressedSize;
  if (declared > limits.maxUncompressedBytes) throw tooLarge(what, limits, declared);

  let total = 0;
  for (const entry of entries) {
    const data = entryData(view, entry, what);
    if (entry.method === 0) {
      total += data.byteLength;
    } else if (entry.method === 8) {
      total += await inflatedSize(data, limits.maxUncompressedBytes - total, what);
    } else {
      throw new ExtractionError(
        `${what} uses a compression method Docent does not read (method ${entry.method} in ${entry.name}). Open and re-save it, then upload again.`,
        { code: "corrupt_file" },
      );
    }
    if (total > limits.maxUncompressedBytes) throw tooLarge(what, limits);
  }
}

function readDirectory(view: DataView, what: string): { count: number; offset: number; size: number } {
  const end = view.byteLength;
  // The end record is 22 bytes plus a comment of up to 65,535 bytes.
  for (let at = end - 22; at >= Math.max(0, end - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) !== EOCD) continue;
    let count = view.getUint16(at + 10, true);
    let size = view.getUint32(at + 12, true);
    let offset = view.getUint32(at + 16, true);
    if ((count === 0xffff || size === 0xffffffff || offset === 0xffffffff) && at >= 20 && view.getUint32(at - 20, true) === ZIP64_LOCATOR) {
      const zip64 = Number(view.getBigUint64(at - 20 + 8, true));
      if (zip64 + 56 > end || view.getUint32(zip64, true) !== ZIP64_EOCD) throw corrupt(what);
      count = safeNumber(view.getBigUint64(zip64 + 32, true));
      size = safeNumber(view.getBigUint64(zip64 + 40, true));
      offset = safeNumber(view.getBigUint64(zip64 + 48, true));
    }
    if (offset + size > end) throw corrupt(what);
    return { count, offset, size };
  }
  throw corrupt(what);
}

function readEntries(view: DataView, directory: { count: number; offset: number; size: number }, what: string, limits: ZipLimits): Entry[] {
  const entries: Entry[] = [];
  const end = directory.offset + directory.size;
  let at = directory.offset;
  while (at + 46 <= end && view.getUint32(at, true) === CENTRAL_HEADER) {
    if (entries.length >= limits.maxEntries) throw tooManyEntries(what, limits);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (at + 46 + nameLength + extraLength > end) throw corrupt(what);
    const entry: Entry = {
      name: new TextDecoder().decode(new Uint8Array(view.buffer, view.byteOffset + at + 46, nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    readZip64Extra(view, at + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (entries.length !== directory.count && directory.count !== 0xffff) throw corrupt(what);
  return entries;
}

/** ZIP64 extra field (0x0001): 8-byte values for the fields that are 0xFFFFFFFF, in order. */
function readZip64Extra(view: DataView, start: number, length: number, entry: Entry): void {
  for (let at = start; at + 4 <= start + length; ) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        if (field + 8 > at + 4 + size) return undefined;
        const value = safeNumber(view.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next() ?? entry.uncompressedSize;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next() ?? entry.localHeaderOffset;
      return;
    }
    at += 4 + size;
  }
}

function entryData(view: DataView, entry: Entry, what: string): Uint8Array {
  const at = entry.localHeaderOffset;
  if (at + 30 > view.byteLength || view.getUint32(at, true) !== LOCAL_HEADER) throw corrupt(what);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > view.byteLength) throw corrupt(what);
  return new Uint8Array(view.buffer, view.byteOffset + start, entry.compressedSize);
}

/** Bytes `data` inflates to, or a refusal as soon as it passes `budget`. Output is discarded. */
function inflatedSize(data: Uint8Array, budget: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflater = zlib.createInflateRaw();
    let size = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    inflater.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > budget) {
        inflater.destroy();
        settle(() => resolve(size));
      }
    });
    inflater.on("end", () => settle(() => resolve(size)));
    inflater.on("error", (cause) => settle(() => reject(corrupt(what, cause))));
    inflater.end(data);
  });
}

function safeNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

function tooManyEntries(what: string, limits: ZipLimits): ExtractionError {
  return new ExtractionError(
    `${what} contains more than ${limits.maxEntries.toLocaleString("en-US")} files inside (the limit for zip-based documents), so it was not opened; it may be a zip bomb.`,
    { code: "limit_exceeded" },
  );
}

function tooLarge(what: string, limits: ZipLimits, declared?: number): ExtractionError {
  const claim = declared ? ` (its contents claim ${mb(declared)})` : "";
  return new ExtractionError(
    `${what} unpacks to more than ${mb(limits.maxUncompressedBytes)}${claim}, the limit for the uncompressed contents of a zip-based document, so it was not processed; it may be a zip bomb.`,
    { code: "limit_exceeded" },
  );
}

function corrupt(what: string, cause?: unknown): ExtractionError {
  return new ExtractionError(`${what} is damaged: its zip structure cannot be read. Open and re-save it, then upload again.`, {
    cause,
    code: "corrupt_file",
  });
}
