/**
 * The admin edits document metadata and the widget's fixed filter as JSON, checked with
 * the API's own schemas (@docent/contracts/metadata) before anything is sent, so the
 * messages are the API's.
 */
import { documentMetadataSchema, metadataFilterSchema, type DocumentMetadata, type MetadataFilter } from "@docent/contracts/metadata";
import type { z } from "zod";

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodType<T>, text: string, empty: T): Parsed<T> {
  if (!text.trim()) return { ok: true, value: empty };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; "),
  };
}

/** Document metadata from the editor's text; empty text is no metadata. */
export const parseMetadata = (text: string): Parsed<DocumentMetadata> => parseWith(documentMetadataSchema, text, {});

/** A fixed filter from the editor's text; empty text is no filter (null). */
export const parseFilter = (text: string): Parsed<MetadataFilter | null> =>
  parseWith<MetadataFilter | null>(metadataFilterSchema, text, null);

export const formatJson = (value: unknown) => (value == null || (typeof value === "object" && Object.keys(value).length === 0) ? "" : JSON.stringify(value, null, 2));

/** "lang: en · tags: setup, billing" for a document row, keys in alphabetical order (jsonb keeps its own). */
export function metadataSummary(metadata: DocumentMetadata | undefined): string {
  return Object.entries(metadata ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}`)
    .join(" · ");
}
