/**
 * Neighbouring context for answers: the chunks around retrieved ones, in one statement.
 * For each anchor chunk, the chunks of the same document within `radius` positions and,
 * with `sameSection`, those sharing its heading path (a chunk never spans two sections,
 * so a section is a run of consecutive chunks), up to `maxSpan` positions away. Each
 * anchor comes back too (`id = anchorId`), with its offsets. The caller chooses which to
 * use within its token budget.
 */
import { sql } from "drizzle-orm";
import type { Executor } from "../client";
import type { ChunkMetadata } from "@docent/contracts/json";

export interface NeighbourChunk {
  anchorId: string;
  id: string;
  documentId: string;
  chunkIndex: number;
  content: string;
  tokenCount: number;
  metadata: ChunkMetadata;
}

export async function getNeighbourChunks(
  db: Executor,
  p: { botId: string; anchorIds: string[]; radius: number; sameSection: boolean; maxSpan: number },
): Promise<NeighbourChunk[]> {
  if (p.anchorIds.length === 0 || (p.radius <= 0 && !p.sameSection)) return [];
  const rows = await db.execute<{
    anchor_id: string;
    id: string;
    document_id: string;
    chunk_index: number;
    content: string;
    token_count: number;
    metadata: ChunkMetadata;
  }>(sql`
    with anchors as (
      select a.id, a.document_id, a.chunk_index, a.metadata -> 'headingPath' as heading
      from bot_document_chunks a
      where a.bot_id = ${p.botId} and a.id = any(${`{${p.anchorIds.join(",")}}`}::uuid[])
    )
    select a.id as anchor_id, n.id, n.document_id, n.chunk_index, n.content, n.token_count, n.metadata
    from anchors a
    join bot_document_chunks n
      on n.document_id = a.document_id
     and n.bot_id = ${p.botId}
     and n.chunk_index between a.chunk_index - ${Math.max(p.radius, p.sameSection ? p.maxSpan : 0)}
                           and a.chunk_index + ${Math.max(p.radius, p.sameSection ? p.maxSpan : 0)}
    where abs(n.chunk_index - a.chunk_index) <= ${p.radius}
       or (${p.sameSection} and jsonb_array_length(coalesce(a.heading, '[]'::jsonb)) > 0
           and n.metadata -> 'headingPath' = a.heading)
    order by a.id, n.chunk_index`);
  return rows.map((r) => ({
    anchorId: r.anchor_id,
    id: r.id,
    documentId: r.document_id,
    chunkIndex: Number(r.chunk_index),
    content: r.content,
    tokenCount: Number(r.token_count),
    metadata: r.metadata,
  }));
}
