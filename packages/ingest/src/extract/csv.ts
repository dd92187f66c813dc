/**
 * CSV: one section per data row carrying the header line, so the chunker can pack rows
 * into groups that each start with the header. The delimiter is detected.
 */
import Papa from "papaparse";
import { ExtractionError } from "../errors";
import type { ExtractedDocument, ExtractedSection } from "../types";

export function extractCsv(text: string): ExtractedDocument {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), {
    skipEmptyLines: "greedy",
    delimitersToGuess: [",", ";", "\t", "|"],
  });
  const rows = parsed.data;
  if (rows.length === 0) throw new ExtractionError("The CSV file has no rows.", { code: "empty_file" });
  const delimiter = parsed.meta.delimiter || ",";
  const line = (fields: string[]) => Papa.unparse([fields], { delimiter, newline: "\n" });
  const header = line(rows[0]!.map((f) => f.trim()));

  const sections: ExtractedSection[] = [];
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.every((f) => f.trim() === "")) continue;
    sections.push({ text: line(row), header, rowStart: i, rowEnd: i });
  }
  if (sections.length === 0) {
    throw new ExtractionError("The CSV file has a header line but no data rows.", { code: "empty_file" });
  }
  return { sections };
}
