/**
 * JSON: flattened to one "key.path[2].name: value" line per leaf. Each top-level key of
 * an object is its own section (its name is the heading); the records of a top-level
 * array are separated by blank lines so chunks break between records. JSON Lines files
 * are read as an array.
 */
import { ExtractionError } from "../errors";
import type { ExtractedDocument, ExtractedSection } from "../types";

export function extractJson(text: string): ExtractedDocument {
  const value = parseJsonOrJsonLines(text.replace(/^\uFEFF/, ""));
  const sections: ExtractedSection[] = [];

  if (Array.isArray(value)) {
    const records = value.map((item, i) => flatten(item, `[${i}]`).join("\n"));
    const body = records.filter((r) => r !== "").join("\n\n");
    if (body !== "") sections.push({ text: body });
  } else if (isObject(value)) {
    let loose: string[] = [];
    const flushLoose = () => {
      if (loose.length > 0) sections.push({ text: loose.join("\n") });
      loose = [];
    };
    for (const [key, child] of Object.entries(value)) {
      const path = keyPath("", key);
      if ((Array.isArray(child) && child.length > 0) || (isObject(child) && Object.keys(child).length > 0)) {
        flushLoose();
        const lines = Array.isArray(child)
          ? child.map((item, i) => flatten(item, `${path}[${i}]`).join("\n")).join("\n\n")
          : flatten(child, path).join("\n");
        sections.push({ text: lines, headingPath: [key] });
      } else {
        loose.push(...flatten(child, path));
      }
    }
    flushLoose();
  } else {
    sections.push({ text: formatLeaf(value) });
  }
  return { sections: sections.filter((s) => s.text.trim() !== "") };
}

function parseJsonOrJsonLines(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
    if (lines.length > 1) {
      try {
        return lines.map((l) => JSON.parse(l) as unknown);
      } catch {
        // fall through to the original error
      }
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw new ExtractionError(`The file is not valid JSON (${detail}).`, { cause: error, code: "corrupt_file" });
  }
}

function flatten(value: unknown, path: string): string[] {
  const out: string[] = [];
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [v, p] = stack.pop()!;
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(`${p}: []`);
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${p}[${i}]`]);
    } else if (isObject(v)) {
      const entries = Object.entries(v);
      if (entries.length === 0) out.push(`${p}: {}`);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        stack.push([child, keyPath(p, k)]);
      }
    } else {
      out.push(p === "" ? formatLeaf(v) : `${p}: ${formatLeaf(v)}`);
    }
  }
  return out;
}

function keyPath(parent: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

function formatLeaf(v: unknown): string {
  if (typeof v === "string") return v.replace(/\s*\r?\n\s*/g, " ");
  return JSON.stringify(v) ?? "null";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
