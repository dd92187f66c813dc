import type { ChunkMetadata } from "@docent/contracts/json";

export const sourceKinds = ["pdf", "docx", "html", "markdown", "text", "csv", "json"] as const;
export type SourceKind = (typeof sourceKinds)[number];

/** One run of text that shares a page, a heading path or a CSV header. */
export interface ExtractedSection {
  text: string;
  /** 1-based PDF page. */
  page?: number;
  /** Enclosing headings, outermost first, e.g. ["Install", "Linux"]. */
  headingPath?: string[];
  /** CSV: 1-based data rows (header excluded) this section holds. */
  rowStart?: number;
  rowEnd?: number;
  /** CSV: the header line, repeated at the top of every chunk made from this section. */
  header?: string;
}

export interface ExtractedDocument {
  title?: string;
  sections: ExtractedSection[];
}

export interface Chunk {
  index: number;
  content: string;
  tokenCount: number;
  /** hex SHA-256 of `content`. */
  contentHash: string;
  metadata: ChunkMetadata;
}

export type { ChunkMetadata };
