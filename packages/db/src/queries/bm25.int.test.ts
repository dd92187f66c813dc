/**
 * BM25 keyword search on real PostgreSQL: the search over the postings, whichever pass
 * answers, must return exactly what scoring every chunk of the bot from its tsvector
 * returns, and the postings must follow every insert, update and delete of chunks.
 */
// Brings in the `inject()` typings of the test fixtures.
import type {} from "../testing/global-setup";
import { useTestDatabase } from "../testing/db";
import { describe, expect, it } from "vitest";
import { addDocument, createBot, createWorkspace } from "../testing/factories";
import { sql } from "drizzle-orm";
import { essentialTermCount, packTerms, searchChunksByKeyword } from "./bm25";
import { retrievalSnapshot } from "./retrieval";

const { db } = await useTestDatabase();

// A deterministic corpus with Zipf-distributed words: a few words are in most chunks,
// most are rare, as in real text.
let seed = 12345;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const syllables = ["ka", "lo", "mi", "ren", "tu", "sa", "vor", "el", "din", "pa"];
const vocab = Array.from({ length: 400 }, (_, i) => `${syllables[i % 10]}${syllables[Math.floor(i / 10) % 10]}${syllables[Math.floor(i / 100)]}x`);
const weights = vocab.map((_, i) => 1 / (i + 1));
const total = weights.reduce((a, b) => a + b, 0);
const word = () => {
  let r = rand() * total;
  for (let i = 0; i < vocab.length; i++) if ((r -= weights[i]!) <= 0) return vocab[i]!;
  return vocab[vocab.length - 1]!;
};

const ws = await createWorkspace(db);
const bot = await createBot(db, { workspaceId: ws.id, language: "simple" });
await addDocument(db, bot, {
  name: "corpus.txt",
  chunks: Array.from({ length: 800 }, () => Array.from({ length: 8 + Math.floor(rand() * 40) }, word).join(" ")),
});

const search = (query: string, limit: number, accumulatePostings?: number, report?: { passes: number }) =>
  searchChunksByKeyword(db, { botId: bot.id, query, textSearchConfig: "simple", limit, accumulatePostings, report });

/** BM25 of every chunk of the bot, straight from its tsvector: the reference ranking. */
async function exhaustive(query: string, limit: number) {
  const rows = await db.execute<{ id: string; score: number }>(sql`
    with q as (
      select distinct t.term from unnest(tsvector_to_array(to_tsvector('simple', ${query}))) as t(term)
    ),
    stats as (
      select chunk_count::float8 as n, total_length::float8 / chunk_count as avgdl
      from bot_search_stats where bot_id = ${bot.id}
    ),
    idf as (
      select q.term, ln(1 + (stats.n - s.doc_freq + 0.5) / (s.doc_freq + 0.5)) as idf
      from q join bot_term_stats s on s.bot_id = ${bot.id} and s.term = q.term cross join stats
    )
    select c.id, sum(idf.idf * (tf.n * 2.2) / (tf.n + 1.2 * (0.25 + 0.75 * c.search_length / stats.avgdl))) as score
    from bot_document_chunks c
    cross join stats
    cross join lateral (
      select u.lexeme, coalesce(array_length(u.positions, 1), 1)::float8 as n from unnest(c.search_vector) u
    ) tf
    join idf on idf.term = tf.lexeme
    where c.bot_id = ${bot.id}
    group by c.id
    order by score desc, c.id
    limit ${limit}`);
  return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
}

/** The postings as the chunks' tsvectors say they should be, and as they are. */
async function postingsDrift() {
  const [row] = await db.execute<{ missing: number; extra: number }>(sql`
    with expected as (
      select c.bot_id, u.lexeme as term, c.id as chunk_id, c.document_id,
             coalesce(array_length(u.positions, 1), 1) as tf, c.search_length as length
      from bot_document_chunks c, unnest(c.search_vector) u
    ),
    actual as (select bot_id, term, chunk_id, document_id, tf::int, length from bot_chunk_postings)
    select (select count(*) from (select * from expected except select * from actual) x)::int as missing,
           (select count(*) from (select * from actual except select * from expected) x)::int as extra`);
  return row;
}

/**
 * 40 queries, two limits, four first-accumulation budgets: every answer must hold the
 * exhaustive ranking's chunks in its order. Returns how many answers each pass gave.
 */
async function compareWithExhaustive() {
    let compared = 0;
    const answeredIn = { 1: 0, 2: 0 };
    for (let q = 0; q < 40; q++) {
      // Two or three common words and one to three rarer ones.
      const common = Array.from({ length: 2 + (q % 2) }, () => vocab[Math.floor(rand() * 8)]!);
      const rare = Array.from({ length: 1 + (q % 3) }, () => vocab[40 + Math.floor(rand() * 300)]!);
      const query = [...common, ...rare].join(" ");
      for (const limit of [5, 40]) {
        // Every chunk's reference score; a valid answer lists chunks whose reference
        // scores are the reference top-k's, in order (chunks tied to within floating-point
        // rounding may trade places: summing in another order changes the last bits).
        const all = await exhaustive(query, 10_000);
        const referenceScore = new Map(all.map((h) => [h.id, h.score]));
        const reference = all.slice(0, limit);
        // 1: only the rarest term is accumulated, so the common terms' bound often
        // exceeds the threshold and the second pass answers; with more, the first mostly does.
        for (const accumulate of [1, 200, undefined, Number.MAX_SAFE_INTEGER]) {
          const report = { passes: 0 };
          const hits = await search(query, limit, accumulate, report);
          answeredIn[report.passes as 1 | 2]++;
          const label = `${query} (limit ${limit}, accumulate ${accumulate})`;
          expect(hits.length, label).toBe(reference.length);
          expect(new Set(hits.map((h) => h.id)).size, label).toBe(hits.length);
          hits.forEach((h, i) => {
            expect(referenceScore.get(h.id), label).toBeCloseTo(reference[i]!.score, 9);
            expect(h.score, label).toBeCloseTo(reference[i]!.score, 9);
          });
          compared++;
        }
      }
    }
    expect(compared).toBe(320);
    return answeredIn;
}

/** The bot's terms (every lexeme its chunks hold). */
const botTerms = async (botId: string) =>
  (await db.execute<{ term: string }>(sql`select term from bot_term_stats where bot_id = ${botId}`)).map((r) => r.term);

describe("BM25 keyword search over the postings", () => {
  it("returns exactly the ranking of exhaustive scoring, whichever pass answers", async () => {
    const answeredIn = await compareWithExhaustive();
    // Both ways of answering were proven against the reference, many times each.
    expect(answeredIn[1]).toBeGreaterThan(40);
    expect(answeredIn[2]).toBeGreaterThan(40);
  }, 120_000);

  it("reads current packs instead of the index, with the same exact ranking", async () => {
    const terms = await botTerms(bot.id);
    await packTerms(db, bot.id, terms);
    const [packs] = await db.execute<{ count: number }>(sql`select count(*)::int as count from bot_term_packs where bot_id = ${bot.id}`);
    expect(packs!.count).toBe(terms.length);
    const answeredIn = await compareWithExhaustive();
    expect(answeredIn[1] + answeredIn[2]).toBe(320);

    // The searches read the packs: a current pack emptied by hand hides its term's chunks.
    const word = vocab[60]!;
    expect((await search(word, 5)).length).toBeGreaterThan(0);
    await db.execute(sql`update bot_term_packs set postings = ''::bytea where bot_id = ${bot.id} and term = ${word}`);
    expect(await search(word, 5)).toEqual([]);
    // A newer pack replaces it; an older one (a racing packer) never would.
    await db.execute(sql`update bot_term_stats set version = nextval('bot_term_stats_version_seq') where bot_id = ${bot.id} and term = ${word}`);
    await packTerms(db, bot.id, [word]);
    expect((await search(word, 5)).length).toBeGreaterThan(0);
  }, 120_000);

  it("never reads a pack older than its term's postings: inserts, updates and deletes", async () => {
    await packTerms(db, bot.id, await botTerms(bot.id));
    const word = vocab[70]!;
    const packedTop = await search(word, 3);
    // A new chunk that repeats the word outranks every packed one.
    const { document: doc } = await addDocument(db, bot, { name: "fresh.txt", chunks: [`${word} ${word} ${word} ${word}`, vocab[71]!] });
    const [fresh] = await db.execute<{ id: string }>(sql`select id from bot_document_chunks where document_id = ${doc.id} and chunk_index = 0`);
    expect((await search(word, 3))[0]!.id).toBe(fresh!.id);
    // An update that changes the word's frequency but not its document frequency.
    await packTerms(db, bot.id, [word]);
    await db.execute(sql`update bot_document_chunks set content = ${`${word} ${vocab[72]!} ${vocab[73]!} ${vocab[74]!} ${vocab[75]!} ${vocab[76]!}`} where id = ${fresh!.id}`);
    expect(await search(word, 10)).toEqual(await exhaustive(word, 10).then((r) => r.map((h) => expect.objectContaining({ id: h.id }))));
    // Deleted chunks leave the answer.
    await packTerms(db, bot.id, [word]);
    await db.execute(sql`delete from bot_document_chunks where document_id = ${doc.id}`);
    expect((await search(word, 3)).map((h) => h.id)).toEqual(packedTop.map((h) => h.id));
    // A term whose last chunk goes loses its pack with its statistics.
    const { document: lone } = await addDocument(db, bot, { name: "lone.txt", chunks: ["qqlonelyword"] });
    await packTerms(db, bot.id, ["qqlonelyword"]);
    await db.execute(sql`delete from bot_document_chunks where document_id = ${lone.id}`);
    const [left] = await db.execute<{ count: number }>(sql`select count(*)::int as count from bot_term_packs where bot_id = ${bot.id} and term = 'qqlonelyword'`);
    expect(left!.count).toBe(0);
  });

  it("leaves common terms out of accumulation only while they cannot reach the threshold", () => {
    const terms = [{ bound: 9 }, { bound: 5 }, { bound: 2 }, { bound: 1 }];
    expect(essentialTermCount(terms, 0)).toBe(4);
    expect(essentialTermCount(terms, 1)).toBe(4); // 1 is not below 1
    expect(essentialTermCount(terms, 3.5)).toBe(2); // 1 + 2 < 3.5
    expect(essentialTermCount(terms, 100)).toBe(1); // the rarest always accumulates
  });

  it("keeps the postings equal to the chunks' lexemes through inserts, updates and deletes", async () => {
    expect(await postingsDrift()).toEqual({ missing: 0, extra: 0 });
    const { document: doc } = await addDocument(db, bot, { name: "extra.txt", chunks: ["alpha beta beta gamma", "beta delta", "epsilon"] });
    expect(await postingsDrift()).toEqual({ missing: 0, extra: 0 });
    // Text changed on one chunk, left alone on another (a metadata-only update).
    await db.execute(sql`update bot_document_chunks set content = 'zeta zeta eta' where document_id = ${doc.id} and chunk_index = 0`);
    await db.execute(sql`update bot_document_chunks set metadata = metadata where document_id = ${doc.id} and chunk_index = 1`);
    expect(await postingsDrift()).toEqual({ missing: 0, extra: 0 });
    expect((await search("zeta", 5)).length).toBe(1);
    expect(await search("alpha", 5)).toEqual([]);
    await db.execute(sql`delete from bot_document_chunks where document_id = ${doc.id}`);
    expect(await postingsDrift()).toEqual({ missing: 0, extra: 0 });
    expect(await search("zeta", 5)).toEqual([]);
  });

  it("searches one snapshot: a document committed meanwhile is not seen until the next search", async () => {
    const hnsw = { limit: 10, efSearch: 40, maxScanTuples: 1000 };
    const bm25 = { query: "qqsnapshotword", textSearchConfig: "simple", limit: 5 };
    const seen = await retrievalSnapshot(db, { botId: bot.id, hnsw }, async (snapshot) => {
      const before = await snapshot.bm25(bm25);
      // Committed on another connection while this snapshot is open.
      await addDocument(db, bot, { name: "meanwhile.txt", chunks: ["qqsnapshotword"] });
      return { before, after: await snapshot.bm25(bm25), chunkCount: snapshot.info.chunkCount };
    });
    expect(seen.before).toEqual([]);
    expect(seen.after).toEqual([]);
    const next = await retrievalSnapshot(db, { botId: bot.id, hnsw }, (snapshot) => snapshot.bm25(bm25));
    expect(next).toHaveLength(1);
  });

  it("finds nothing for words the bot has never seen, and stays inside the bot", async () => {
    expect(await search("zzqx unknownword", 10)).toEqual([]);
    const other = await createBot(db, { workspaceId: ws.id, name: "Other", language: "simple" });
    expect(await searchChunksByKeyword(db, { botId: other.id, query: vocab[0]!, textSearchConfig: "simple", limit: 10 })).toEqual([]);
    // The other bot's chunks share every word with this bot's, and never show up here.
    await addDocument(db, other, { name: "copy.txt", chunks: [vocab.slice(0, 20).join(" ")] });
    const mine = await search(vocab.slice(0, 20).join(" "), 50);
    expect(mine.length).toBeGreaterThan(0);
    const [row] = await db.execute<{ count: number }>(
      sql`select count(*)::int as count from bot_document_chunks where bot_id = ${bot.id} and id in (${sql.join(mine.map((h) => sql`${h.id}`), sql`, `)})`,
    );
    expect(row!.count).toBe(mine.length);
  });
});
