/**
 * Writes chunk rows with `COPY ... FROM STDIN (FORMAT binary)`: one round trip for any
 * number of rows, and vectors go over the wire as raw float4s instead of decimal text
 * that Postgres would have to parse back. Layout per the PostgreSQL COPY binary format;
 * the vector field is pgvector's binary form (int16 dims, int16 unused, float4 x dims).
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Logger } from "@docent/config/logger";
import type postgres from "postgres";

export interface ChunkRow {
  botId: string;
  documentId: string;
  chunkIndex: number;
  content: string;
  contentHash: string;
  tokenCount: number;
  metadata: unknown;
  embedding: Float32Array;
  embeddingModel: string;
}

export const chunkCopyColumns =
  "bot_id, document_id, chunk_index, content, content_hash, token_count, metadata, embedding, embedding_model, text_search_config";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const FIELD_COUNT = 10;

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replaceAll("-", ""), "hex");
}

/** The COPY header: signature, flags, header-extension length. */
export function copyHeader(): Buffer {
  const header = Buffer.alloc(SIGNATURE.length + 8);
  SIGNATURE.copy(header, 0);
  return header;
}

export function copyTrailer(): Buffer {
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  return trailer;
}

/** One tuple; `regconfigOid` is the OID of the bot's text-search configuration. */
export function encodeChunkRow(row: ChunkRow, regconfigOid: number): Buffer {
  const content = Buffer.from(row.content, "utf8");
  const hash = Buffer.from(row.contentHash, "utf8");
  const metadata = Buffer.from(JSON.stringify(row.metadata), "utf8");
  const model = Buffer.from(row.embeddingModel, "utf8");
  const dims = row.embedding.length;
  const size =
    2 +
    (4 + 16) * 2 +
    (4 + 4) +
    (4 + content.length) +
    (4 + hash.length) +
    (4 + 4) +
    (4 + 1 + metadata.length) +
    (4 + 4 + dims * 4) +
    (4 + model.length) +
    (4 + 4);
  const buf = Buffer.allocUnsafe(size);
  let o = buf.writeInt16BE(FIELD_COUNT, 0);
  const bytes = (b: Buffer) => {
    o = buf.writeInt32BE(b.length, o);
    o += b.copy(buf, o);
  };
  const int4 = (n: number) => {
    o = buf.writeInt32BE(4, o);
    o = buf.writeInt32BE(n, o);
  };
  bytes(uuidBytes(row.botId));
  bytes(uuidBytes(row.documentId));
  int4(row.chunkIndex);
  bytes(content);
  bytes(hash);
  int4(row.tokenCount);
  // jsonb binary: a version byte (1) and the JSON text.
  o = buf.writeInt32BE(1 + metadata.length, o);
  o = buf.writeUInt8(1, o);
  o += metadata.copy(buf, o);
  o = buf.writeInt32BE(4 + dims * 4, o);
  o = buf.writeInt16BE(dims, o);
  o = buf.writeInt16BE(0, o);
  for (let i = 0; i < dims; i++) o = buf.writeFloatBE(row.embedding[i]!, o);
  bytes(model);
  o = buf.writeInt32BE(4, o);
  o = buf.writeUInt32BE(regconfigOid, o);
  return buf;
}

export async function regconfigOid(sql: postgres.Sql | postgres.TransactionSql, config: string): Promise<number> {
  const [row] = await sql<{ oid: number }[]>`select ${config}::regconfig::oid::int as oid`;
  return row!.oid;
}

/** The bot's text-search configuration as an OID; an unknown name falls back to 'simple'. */
export async function resolveTextSearchConfig(sql: postgres.Sql, language: string, log: Logger): Promise<number> {
  try {
    return await regconfigOid(sql, language);
  } catch {
    log.warn({ language }, "unknown text search configuration; using 'simple'");
    return regconfigOid(sql, "simple");
  }
}

/** Streams already-encoded tuples into bot_document_chunks inside the caller's transaction. */
export async function copyChunkTuples(
  sql: postgres.TransactionSql | postgres.Sql,
  tuples: Iterable<Buffer> | AsyncIterable<Buffer>,
): Promise<void> {
  const writable = await sql
    .unsafe(`copy bot_document_chunks (${chunkCopyColumns}) from stdin with (format binary)`)
    .writable();
  async function* body() {
    yield copyHeader();
    // Coalesce small tuples into ~1 MB writes: fewer stream callbacks and socket writes.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const tuple of tuples) {
      pending.push(tuple);
      pendingBytes += tuple.length;
      if (pendingBytes >= 1 << 20) {
        yield Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
      }
    }
    pending.push(copyTrailer());
    yield Buffer.concat(pending);
  }
  await pipeline(Readable.from(body()), writable);
}
