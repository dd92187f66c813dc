/**
 * The offline default embedder, `local:lexical-hash-v1`. It is LEXICAL, not semantic: two
 * texts score high when they share words, word pairs and word pieces, not when they mean
 * the same thing in different words. It needs no model weights and is deterministic.
 *
 * Features of the normalised text (NFKD, accents stripped, lower-cased; words are runs of
 * letters and digits):
 *   - word unigrams (very common English words down-weighted),
 *   - word bigrams,
 *   - character 3- and 4-grams of each word with boundary marks ("<wo", "ord>"), so
 *     inflections and compounds still overlap ("install" ~ "installation").
 * Each feature's count becomes a sublinear weight (1 + ln tf) times its family's weight,
 * and is added with a hash-chosen sign into one of 768 buckets (the signed hashing trick);
 * the vector is then L2-normalised, so cosine similarity is a dot product.
 *
 * Changing anything here changes the vectors: bump the version in the id so stored
 * chunks are re-embedded instead of being compared with incompatible vectors.
 */
import { EMBEDDING_DIMENSIONS, type Embedder, type EmbedOptions } from "./types";

export const LOCAL_EMBEDDER_ID = "local:lexical-hash-v1";

const UNIGRAM_WEIGHT = 1;
const STOPWORD_WEIGHT = 0.15;
const BIGRAM_WEIGHT = 0.7;
const CHAR_GRAM_WEIGHT = 0.3;

const SEED_UNIGRAM = 0x9e3779b1;
const SEED_BIGRAM = 0x85ebca6b;
const SEED_CHAR3 = 0xc2b2ae35;
const SEED_CHAR4 = 0x27d4eb2f;
const BOUNDARY = 0x1f; // stands for the word-boundary marks in character grams

const STOPWORDS = [
  "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
  "her", "his", "i", "if", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she",
  "so", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was",
  "we", "were", "what", "when", "which", "who", "will", "with", "you", "your",
];

export function createLocalEmbedder(): Embedder {
  return {
    id: LOCAL_EMBEDDER_ID,
    dimensions: EMBEDDING_DIMENSIONS,
    async embed(texts: string[], opts?: EmbedOptions): Promise<number[][]> {
      opts?.signal?.throwIfAborted();
      const out = new Array<number[]>(texts.length);
      for (let i = 0; i < texts.length; i++) out[i] = embedLexical(texts[i]!);
      return out;
    },
  };
}

// Scratch space reused across calls: embedding is synchronous, so one set is enough.
// Term frequencies live in an open-addressing hash table on typed arrays (a Map costs
// several times more per feature); a per-text stamp marks which slots are in use.
const FAMILY_UNIGRAM = 0;
const FAMILY_STOPWORD = 1;
const FAMILY_BIGRAM = 2;
const FAMILY_CHAR = 3;
const FAMILY_WEIGHTS = [UNIGRAM_WEIGHT, STOPWORD_WEIGHT, BIGRAM_WEIGHT, CHAR_GRAM_WEIGHT];

let capacity = 1 << 14;
let slotMask = capacity - 1;
let slotKeys = new Int32Array(capacity);
let slotFamilies = new Uint8Array(capacity);
let slotCounts = new Uint32Array(capacity);
let slotStamps = new Uint32Array(capacity);
let usedSlots = new Int32Array(capacity);
let usedCount = 0;
let stamp = 0;

const accumulator = new Float64Array(EMBEDDING_DIMENSIONS);
const wordStarts: number[] = [];
const wordEnds: number[] = [];
const wordHashes: number[] = [];
const gramCodes = new Int32Array(256);
const stopwordHashes = new Set(STOPWORDS.map((w) => hashRange(w, 0, w.length, SEED_UNIGRAM)));
const SUBLINEAR = Array.from({ length: 256 }, (_, tf) => (tf === 0 ? 0 : 1 + Math.log(tf)));

/** Embeds one text; deterministic, 768 numbers, unit length. */
export function embedLexical(text: string): number[] {
  const normalised = normalise(text);
  findWords(normalised);
  startTable();

  const n = wordStarts.length;
  for (let w = 0; w < n; w++) {
    const h = wordHashes[w]!;
    const stop = stopwordHashes.has(h);
    add(h, stop ? FAMILY_STOPWORD : FAMILY_UNIGRAM);
    if (w > 0) {
      const previous = wordHashes[w - 1]!;
      const bigram = mix(Math.imul(previous, 0x01000193) ^ h ^ SEED_BIGRAM);
      add(bigram, stop && stopwordHashes.has(previous) ? FAMILY_STOPWORD : FAMILY_BIGRAM);
    }
    if (!stop) addCharGrams(normalised, wordStarts[w]!, wordEnds[w]!);
  }

  accumulator.fill(0);
  for (let u = 0; u < usedCount; u++) {
    const slot = usedSlots[u]!;
    const tf = slotCounts[slot]!;
    const weight = (tf < 256 ? SUBLINEAR[tf]! : 1 + Math.log(tf)) * FAMILY_WEIGHTS[slotFamilies[slot]!]!;
    const mixed = mix(slotKeys[slot]! ^ Math.imul(slotFamilies[slot]!, 0x27d4eb2f));
    const bucket = mixed % EMBEDDING_DIMENSIONS;
    accumulator[bucket]! += mixed & 0x80000000 ? -weight : weight;
  }
  let norm = 0;
  for (let i = 0; i < EMBEDDING_DIMENSIONS; i++) norm += accumulator[i]! * accumulator[i]!;
  const vector = new Array<number>(EMBEDDING_DIMENSIONS);
  if (norm === 0) {
    // No words at all: a fixed unit vector keeps cosine distance defined.
    vector.fill(0);
    vector[0] = 1;
    return vector;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < EMBEDDING_DIMENSIONS; i++) vector[i] = accumulator[i]! * scale;
  return vector;
}

function startTable(): void {
  usedCount = 0;
  stamp = (stamp + 1) >>> 0;
  if (stamp === 0) {
    slotStamps.fill(0);
    stamp = 1;
  }
}

function add(feature: number, family: number): void {
  const key = feature | 0;
  let slot = (key ^ (key >>> 15) ^ family) & slotMask;
  while (slotStamps[slot] === stamp) {
    if (slotKeys[slot] === key && slotFamilies[slot] === family) {
      slotCounts[slot]!++;
      return;
    }
    slot = (slot + 1) & slotMask;
  }
  slotStamps[slot] = stamp;
  slotKeys[slot] = key;
  slotFamilies[slot] = family;
  slotCounts[slot] = 1;
  usedSlots[usedCount++] = slot;
  if (usedCount * 2 > capacity) grow();
}

/** Doubles the table, keeping this text's features (long texts only). */
function grow(): void {
  const keys = slotKeys;
  const families = slotFamilies;
  const counts = slotCounts;
  const used = usedSlots.subarray(0, usedCount).slice();
  capacity *= 2;
  slotMask = capacity - 1;
  slotKeys = new Int32Array(capacity);
  slotFamilies = new Uint8Array(capacity);
  slotCounts = new Uint32Array(capacity);
  slotStamps = new Uint32Array(capacity);
  usedSlots = new Int32Array(capacity);
  usedCount = 0;
  stamp = 1;
  for (const old of used) {
    const key = keys[old]!;
    const family = families[old]!;
    let slot = (key ^ (key >>> 15) ^ family) & slotMask;
    while (slotStamps[slot] === stamp) slot = (slot + 1) & slotMask;
    slotStamps[slot] = stamp;
    slotKeys[slot] = key;
    slotFamilies[slot] = family;
    slotCounts[slot] = counts[old]!;
    usedSlots[usedCount++] = slot;
  }
}

/** Character 3- and 4-grams over "<word>", hashed straight from char codes (no substrings). */
function addCharGrams(s: string, start: number, end: number): void {
  // Very long "words" (hashes, base64) add little; cap the grams they produce.
  const length = Math.min(end - start, gramCodes.length - 2) + 2;
  gramCodes[0] = BOUNDARY;
  for (let i = 1; i < length - 1; i++) gramCodes[i] = s.charCodeAt(start + i - 1);
  gramCodes[length - 1] = BOUNDARY;
  for (let i = 0; i + 3 <= length; i++) {
    const h3 = Math.imul(Math.imul(Math.imul(SEED_CHAR3 ^ gramCodes[i]!, 0x01000193) ^ gramCodes[i + 1]!, 0x01000193) ^ gramCodes[i + 2]!, 0x01000193);
    add(h3, FAMILY_CHAR);
    if (i + 4 <= length) add(Math.imul(h3 ^ SEED_CHAR4 ^ gramCodes[i + 3]!, 0x01000193), FAMILY_CHAR);
  }
}

function normalise(text: string): string {
  // NFKD splits accents off their letters; the marks are then removed ("café" -> "cafe").
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u007f]/.test(text)
    ? text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase()
    : text.toLowerCase();
}

const wordCharCache = new Uint8Array(65_536); // 0 unknown, 1 word char, 2 not
const letterOrDigit = /[\p{L}\p{N}]/u;

function isWordChar(code: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  if (code >= 0xd800 && code <= 0xdfff) return true; // astral letters (surrogate halves)
  let cached = wordCharCache[code]!;
  if (cached === 0) {
    cached = letterOrDigit.test(String.fromCharCode(code)) ? 1 : 2;
    wordCharCache[code] = cached;
  }
  return cached === 1;
}

function findWords(s: string): void {
  wordStarts.length = 0;
  wordEnds.length = 0;
  wordHashes.length = 0;
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && !isWordChar(s.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && isWordChar(s.charCodeAt(i))) i++;
    wordStarts.push(start);
    wordEnds.push(i);
    wordHashes.push(hashRange(s, start, i, SEED_UNIGRAM));
  }
}

/** FNV-1a over UTF-16 code units of s[start, end). */
function hashRange(s: string, start: number, end: number, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** murmur3's finaliser: spreads the bits so bucket and sign are independent. */
function mix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
