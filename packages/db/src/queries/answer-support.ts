/**
 * Evidence for strict mode: how much of a question the retrieved chunks cover, weighted
 * by how rare each of the question's words is in the bot (BM25's IDF from the per-bot
 * term statistics). The question is parsed with the bot's own text-search configuration,
 * so its lexemes are stemmed exactly like the chunks'. A word the bot never uses gets
 * the highest weight: a question about something the documents never mention cannot be
 * covered by chunks that only share its common words.
 */
import { sql } from "drizzle-orm";
import type { Executor } from "../client";

export interface QuestionTerm {
  /** A lexeme of the question (stemmed by the bot's text-search configuration). */
  term: string;
  /** Lucene-form IDF in the bot: ln(1 + (N - df + 0.5) / (df + 0.5)); df = 0 for unseen words. */
  idf: number;
  /** The given chunks that contain the lexeme. */
  chunkIds: string[];
  /** Word positions of the lexeme in the question (stop words count), to find its phrases. */
  positions: number[];
}

/** A question lexeme found in one sentence of a given chunk. */
export interface SentenceHit {
  chunkId: string;
  /** 1-based sentence number within the chunk. */
  sentence: number;
  term: string;
  /** Word positions within the sentence, punctuation read as spaces (stop words count). */
  positions: number[];
}

export interface QuestionCoverage {
  /** The bot's chunk count (BM25's N). */
  chunkCount: number;
  terms: QuestionTerm[];
  /** Where the question's lexemes occur, sentence by sentence, in the given chunks. */
  sentences: SentenceHit[];
}

export async function getQuestionTermCoverage(
  db: Executor,
  p: { botId: string; question: string; textSearchConfig: string; chunkIds: string[] },
): Promise<QuestionCoverage> {
  const ids = `{${p.chunkIds.join(",")}}`;
  const rows = await db.execute<{ term: string; positions: number[]; doc_freq: number; n: number; chunk_ids: string[] | null }>(sql`
    with q as (
      select t.lexeme as term, t.positions::int[] as positions
      from unnest(to_tsvector(${p.textSearchConfig}::regconfig, ${p.question})) as t
    ),
    stats as (
      select coalesce((select chunk_count from bot_search_stats where bot_id = ${p.botId}), 0)::float8 as n
    ),
    given as materialized (
      -- The indexed lexemes, plus those of the text with punctuation as spaces: the parser
      -- keeps "support.lts" or "/etc/apt" whole, a question asks about "LTS support".
      select c.id, tsvector_to_array(c.search_vector)
               || tsvector_to_array(to_tsvector(${p.textSearchConfig}::regconfig, regexp_replace(c.content, '[[:punct:]]+', ' ', 'g'))) as lexemes
      from bot_document_chunks c
      where c.bot_id = ${p.botId} and c.id = any(${ids}::uuid[])
    )
    select q.term, q.positions, coalesce(s.doc_freq, 0)::int as doc_freq, stats.n,
           (select array_agg(g.id) from given g where q.term = any(g.lexemes)) as chunk_ids
    from q
    cross join stats
    left join bot_term_stats s on s.bot_id = ${p.botId} and s.term = q.term
    order by q.term`);
  const chunkCount = rows.length > 0 ? Number(rows[0]!.n) : 0;
  const terms = rows.map((r) => {
    const df = Math.min(Number(r.doc_freq), chunkCount);
    return { term: r.term, idf: Math.log(1 + (chunkCount - df + 0.5) / (df + 0.5)), chunkIds: r.chunk_ids ?? [], positions: r.positions };
  });
  if (terms.length === 0) return { chunkCount, terms, sentences: [] };
  // Sentences split after . ! or ? and white space; positions count words of the text
  // with punctuation as spaces, as the coverage above reads "support.lts".
  const hits = await db.execute<{ chunk_id: string; sentence: number; term: string; positions: number[] }>(sql`
    select c.id as chunk_id, s.n::int as sentence, u.lexeme as term, u.positions::int[] as positions
    from bot_document_chunks c
    cross join lateral regexp_split_to_table(c.content, '(?<=[.!?])\\s+') with ordinality as s(text, n)
    cross join lateral unnest(to_tsvector(${p.textSearchConfig}::regconfig, regexp_replace(s.text, '[[:punct:]]+', ' ', 'g'))) as u
    where c.bot_id = ${p.botId} and c.id = any(${ids}::uuid[])
      and u.lexeme in (select q.lexeme from unnest(to_tsvector(${p.textSearchConfig}::regconfig, ${p.question})) as q)
    order by 1, 2, 3`);
  const sentences = hits.map((h) => ({ chunkId: h.chunk_id, sentence: Number(h.sentence), term: h.term, positions: h.positions }));
  return { chunkCount, terms, sentences };
}
