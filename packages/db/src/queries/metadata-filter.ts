/**
 * Compiles a metadata filter (@docent/contracts/metadata) into one SQL predicate on a
 * document's `metadata` column. Every key and value travels as a bound parameter (keys
 * inside JSON parameters or cast to text), never as SQL text, so no filter can change
 * the statement.
 *
 * - eq and in test containment (`metadata @> '{"key": value}'`), which the GIN
 *   jsonb_path_ops index on bot_documents.metadata serves; a string value also matches a
 *   string list that holds it (`@> '{"key": [value]}'`).
 * - range compares only values of the bounds' type: numbers as jsonb numbers (numeric
 *   order), strings byte-wise (`collate "C"`), so ISO-8601 dates written in one format
 *   compare as dates. A document whose value has another type, or lacks the key, fails.
 *
 * Retrieval applies it through `chunkInFilteredDocuments`, a predicate on a chunk row,
 * inside the SQL of both legs (retrieval.ts).
 */
import { type SQL, sql } from "drizzle-orm";
import { metadataFilterOperators, type MetadataFilter } from "@docent/contracts/metadata";

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

function contains(metadata: SQL, key: string, value: string | number): SQL {
  const scalar = sql`${metadata} @> ${json({ [key]: value })}`;
  return typeof value === "string" ? sql`(${scalar} or ${metadata} @> ${json({ [key]: [value] })})` : scalar;
}

const rangeOperators = { gte: ">=", gt: ">", lte: "<=", lt: "<" } as const;

function range(metadata: SQL, r: NonNullable<MetadataFilter["range"]>): SQL {
  const bounds = (Object.keys(rangeOperators) as (keyof typeof rangeOperators)[]).filter((b) => r[b] !== undefined);
  const numeric = typeof r[bounds[0]!] === "number";
  const field = sql`${metadata} -> ${r.key}::text`;
  const parts = [sql`jsonb_typeof(${field}) = ${numeric ? "number" : "string"}::text`];
  for (const b of bounds) {
    const op = sql.raw(rangeOperators[b]);
    parts.push(
      numeric
        ? sql`${field} ${op} ${json(r[b])}`
        : sql`(${metadata} ->> ${r.key}::text) collate "C" ${op} ${String(r[b])}::text collate "C"`,
    );
  }
  return sql`(${sql.join(parts, sql` and `)})`;
}

/**
 * The filter as a predicate on `metadata` (a document row's column, `metadata` by
 * default). Expects a filter that passed `metadataFilterSchema`; throws on a node without
 * exactly one operator rather than guess.
 */
export function metadataFilterSql(filter: MetadataFilter, metadata: SQL = sql.raw("metadata")): SQL {
  const ops = metadataFilterOperators.filter((op) => filter[op] !== undefined);
  if (ops.length !== 1) throw new Error(`metadata filter node needs exactly one operator, got ${ops.length}`);
  if (filter.eq) return contains(metadata, filter.eq.key, filter.eq.value);
  if (filter.in) {
    const key = filter.in.key;
    return sql`(${sql.join(
      filter.in.values.map((v) => contains(metadata, key, v)),
      sql` or `,
    )})`;
  }
  if (filter.range) return range(metadata, filter.range);
  const children = (filter.and ?? filter.or)!.map((child) => metadataFilterSql(child, metadata));
  return sql`(${sql.join(children, filter.and ? sql` and ` : sql` or `)})`;
}

/**
 * A chunk row (`documentId`, `c.document_id` by default) belongs to one of the bot's
 * documents whose metadata match: the same bot scope as the chunk query, so a filter can
 * never reach another bot's documents.
 *
 * `probe: true` wraps the test in `is true`, which keeps PostgreSQL from turning it into a
 * join: it stays a hashed subplan checked on each row the query's own plan yields (the
 * HNSW walk, the text index), instead of a plan that starts from the documents. The
 * planner cannot choose between the two itself, because its estimates for jsonb
 * predicates are fixed guesses; the caller knows how many chunks match.
 */
export function chunkInFilteredDocuments(
  botId: string,
  filter: MetadataFilter,
  { documentId = sql.raw("c.document_id"), probe = false }: { documentId?: SQL; probe?: boolean } = {},
): SQL {
  const test = sql`${documentId} in (select fd.id from bot_documents fd where fd.bot_id = ${botId} and ${metadataFilterSql(filter, sql.raw("fd.metadata"))})`;
  return probe ? sql`(${test}) is true` : test;
}

/** Chunks of the bot's documents whose metadata match, from the documents' chunk counts (a planning hint). */
export function filteredChunkCountSql(botId: string, filter: MetadataFilter): SQL {
  return sql`(select coalesce(sum(fd.chunk_count), 0)::float8 from bot_documents fd where fd.bot_id = ${botId} and ${metadataFilterSql(filter, sql.raw("fd.metadata"))})`;
}
