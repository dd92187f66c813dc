/**
 * Writes a large, valid, text-only PDF quickly (a ~50 MB file in a few seconds) for the
 * ingestion benchmark's memory measurement. A general PDF library lays out text far too
 * slowly for thousands of pages, so this emits the few objects a text PDF needs directly:
 * catalog, page tree, one standard font, and per page an uncompressed content stream of
 * deterministic pseudo-random sentences. Page N begins with "This is page N of the
 * benchmark document." so tests can check page numbers.
 */
import { closeSync, openSync, writeSync } from "node:fs";

export interface LargePdfOptions {
  /** Approximate file size to reach. Default 50 MB. */
  targetBytes?: number;
  /** Seed of the sentence generator. */
  seed?: number;
}

export interface LargePdfResult {
  bytes: number;
  pages: number;
}

const WORDS = (
  "account address agent answer archive audit backup balance batch billing branch budget cache " +
  "calendar capacity catalog channel checkout client cluster column comment config contract " +
  "coupon credit customer dashboard database deadline delivery deploy device discount domain " +
  "driver editor email engine estimate event export feature feedback filter firewall folder " +
  "forecast gateway graph guide handbook hardware header holiday identity import incident " +
  "index install invoice issue journal kernel ledger license limit listing locale logistics " +
  "machine manual margin meeting memory metric migration mobile module monitor network notice " +
  "office onboarding order outage package partner password payment payroll pipeline platform " +
  "policy portal pricing printer privacy process product profile project proposal protocol " +
  "quota receipt record refund region release report request resource review router salary " +
  "schedule schema search security server service session shipment signal storage supplier " +
  "support survey switch ticket timesheet token training transfer upgrade upload vendor " +
  "version warehouse warranty webhook window workflow workspace"
).split(" ");
const PAGES_PER_NODE = 100;
const VERBS = "updates reviews approves blocks requires tracks exports ships renews audits limits restores".split(" ");

export function writeLargePdf(path: string, options: LargePdfOptions = {}): LargePdfResult {
  const target = options.targetBytes ?? 50 * 1024 * 1024;
  let state = (options.seed ?? 42) >>> 0;
  const random = () => {
    // xorshift32: fast and deterministic.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const sentence = () => {
    const n = 6 + Math.floor(random() * 8);
    const words = [pick(WORDS)];
    words.push(pick(VERBS));
    for (let i = 2; i < n; i++) words.push(pick(WORDS));
    const s = words.join(" ");
    return `${s[0]!.toUpperCase()}${s.slice(1)} ${Math.floor(random() * 1000)}.`;
  };

  const fd = openSync(path, "w");
  const offsets: number[] = [];
  let position = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  const write = (text: string) => {
    pending.push(text);
    pendingLength += text.length;
    position += text.length; // content is ASCII: one byte per character
    if (pendingLength > 1 << 20) flush();
  };
  const flush = () => {
    if (pending.length > 0) writeSync(fd, pending.join(""), null, "latin1");
    pending = [];
    pendingLength = 0;
  };
  const object = (id: number, body: string) => {
    offsets[id] = position;
    write(`${id} 0 obj\n${body}\nendobj\n`);
  };

  try {
    write("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
    object(1, "<< /Type /Catalog /Pages 2 0 R >>");
    object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");

    const pageIds: number[] = [];
    // A two-level page tree (as real producers write): a flat /Kids array of thousands of
    // pages makes every page lookup in a reader linear.
    const groups: { nodeId: number; kids: number[] }[] = [];
    let nextId = 4;
    // Leave room for the page tree and xref (about 31 bytes per page).
    for (let page = 1; position + pageIds.length * 31 < target; page++) {
      const lines: string[] = [`This is page ${page} of the benchmark document.`];
      let line = "";
      while (lines.length < 64) {
        const next = sentence();
        if (line.length + next.length + 1 > 95) {
          lines.push(line);
          line = next;
          if (random() < 0.15) lines.push("");
        } else {
          line = line ? `${line} ${next}` : next;
        }
      }
      const body = lines.map((l) => (l === "" ? "T*" : `(${l}) Tj T*`)).join("\n");
      const stream = `BT\n/F1 9 Tf\n11 TL\n40 800 Td\n${body}\nET`;
      if ((page - 1) % PAGES_PER_NODE === 0) groups.push({ nodeId: nextId++, kids: [] });
      const group = groups[groups.length - 1]!;
      const pageId = nextId++;
      const contentId = nextId++;
      group.kids.push(pageId);
      object(
        pageId,
        `<< /Type /Page /Parent ${group.nodeId} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentId} 0 R >>`,
      );
      object(contentId, `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
      pageIds.push(pageId);
    }
    for (const { nodeId, kids } of groups) {
      object(nodeId, `<< /Type /Pages /Parent 2 0 R /Count ${kids.length} /Kids [${kids.map((id) => `${id} 0 R`).join(" ")}] >>`);
    }
    object(2, `<< /Type /Pages /Count ${pageIds.length} /Kids [${groups.map((g) => `${g.nodeId} 0 R`).join(" ")}] >>`);

    const xrefAt = position;
    const count = offsets.length;
    const entries = ["0000000000 65535 f \n"];
    for (let id = 1; id < count; id++) entries.push(`${String(offsets[id] ?? 0).padStart(10, "0")} 00000 n \n`);
    write(`xref\n0 ${count}\n${entries.join("")}trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`);
    flush();
    return { bytes: position, pages: pageIds.length };
  } finally {
    closeSync(fd);
  }
}
