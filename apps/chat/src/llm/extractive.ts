/**
 * The offline responder: with no LLM configured, the answer is an extractive reading of
 * the sources. Each source is cut into units a person can quote on their own (prose
 * sentences, fenced code blocks with the sentence that leads into them, table or CSV
 * rows, JSON records), each unit is scored against the question (IDF-weighted coverage
 * of the question's words, word pairs, and whether it holds the kind of thing the
 * question asks for: a number, a date, a name), and a few units are picked MMR-style:
 * the best first, then only close runners-up, never a near-copy of a unit already
 * picked (overlapping chunks repeat sentences). When the best unit clearly wins, the
 * answer is short and stays in one source, or two when the second covers part of the
 * question the first does not; when the best units score alike, the close contenders
 * are quoted side by side (longer, up to three sources) instead of a guess at one.
 * Rows are rendered as `column: value`, code blocks stay intact, headings and menu-like
 * fragments are never quoted. It never invents text: every unit is followed by its source's [n] marker.
 * When no unit shares enough with the question it says so (an empty answer, which the
 * answer service turns into the bot's refusal text).
 */
import { stemmer } from "stemmer";
import { countTokens } from "./tokens";
import type { Generation, GenerationRequest, PromptSource, Responder } from "./types";

const STOPWORDS = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have how i if in into is it its me my not of on or our " +
    "so than that the their them then there these they this those to was we were what when where which while who whom whose why will " +
    "with would you your about also any each most other some such only own same too very just should now"
  ).split(" "),
);

/** Lowercase words without stopwords, Porter-stemmed so "located" meets "location". */
export function keywords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /\d/.test(w)))
    .map(stem);
}

const stems = new Map<string, string>();
function stem(w: string): string {
  if (/\d/.test(w)) return w;
  let s = stems.get(w);
  if (s === undefined) {
    s = stemmer(w);
    if (stems.size > 50_000) stems.clear();
    stems.set(w, s);
  }
  return s;
}

const MARKDOWN_HEADING = /^\s{0,3}#{1,6}\s/;
const LIST_OR_QUOTE_MARKER = /^\s*(?:[-*+]|\d+[.)]|>)\s+/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const JSON_LINE = /^(?:\[\d+\]|[A-Za-z_$][\w$-]*)(?:\.[A-Za-z_$][\w$-]*|\[(?:\d+|"[^"]*")\])*: /;
const SEGMENTER = new Intl.Segmenter("en", { granularity: "sentence" });

export type UnitKind = "sentence" | "code" | "row";

export interface Unit {
  kind: UnitKind;
  /** What is quoted. */
  text: string;
  /** Position in its source, for reading order. */
  order: number;
  /** Rows: the column names, which every row shares and so cannot tell rows apart. */
  labels?: string[];
}

/**
 * Prose sentences of a chunk. Chunks keep their Markdown structure, so heading lines are
 * dropped (otherwise "## Warranty" fuses with the next sentence into the quote) and list
 * or quote markers are stripped; paragraphs are split apart before sentence segmentation.
 */
export function splitSentences(text: string): string[] {
  return splitUnits(text)
    .filter((u) => u.kind === "sentence")
    .map((u) => u.text);
}

/** Fields of one delimited line (double quotes may wrap a field holding the delimiter). */
function splitDelimited(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (ch === delimiter) {
      fields.push(field.trim());
      field = "";
    } else field += ch;
  }
  fields.push(field.trim());
  return fields;
}

/** A chunk made of CSV rows under their header line (how the ingest worker chunks CSV). */
function csvRows(lines: string[]): Unit[] | null {
  if (lines.length < 2) return null;
  for (const delimiter of [",", ";", "\t", "|"]) {
    const header = splitDelimited(lines[0]!, delimiter);
    if (header.length < 2 || header.some((h) => h.length === 0 || h.length > 60)) continue;
    const rows = lines.slice(1).map((l) => splitDelimited(l, delimiter));
    if (!rows.every((r) => r.length === header.length)) continue;
    return rows.map((r, i) => ({ kind: "row" as const, text: labelled(header, r), order: i, labels: header }));
  }
  return null;
}

const labelled = (header: string[], values: string[]) =>
  header
    .map((h, i) => [h, values[i] ?? ""] as const)
    .filter(([, v]) => v !== "")
    .map(([h, v]) => `${h}: ${v}`)
    .join(", ");

/** A chunk of flattened JSON (`path: value` lines, records apart by blank lines). */
function jsonRecords(text: string, lines: string[]): Unit[] | null {
  if (lines.length === 0 || lines.filter((l) => JSON_LINE.test(l)).length < lines.length * 0.8) return null;
  const units: Unit[] = [];
  for (const record of text.split(/\n\s*\n/)) {
    const fields = record
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => l.replace(/^\[\d+\]\.?/, ""));
    if (fields.length === 0) continue;
    // A long record is quoted field by field, a short one whole.
    const parts = fields.length <= 8 ? [fields.join(", ")] : fields;
    for (const part of parts) {
      const labels = part.split(", ").map((f) => f.slice(0, Math.max(0, f.indexOf(": "))));
      units.push({ kind: "row", text: part, order: units.length, labels });
    }
  }
  return units;
}

/** Initials and abbreviations the segmenter takes for a sentence end ("J. P. Morgan", "St. Peter"). */
const ABBREVIATION_END = /(?:^|[\s(])(?:\p{Lu}|St|Mr|Mrs|Ms|Dr|Jr|Sr|Prof|Gen|Col|Lt|Capt|Mt|Ft|No|vs|etc|approx|e\.g|i\.e|U\.S|U\.K)\.$/u;

function sentencesOf(paragraph: string): string[] {
  const out: string[] = [];
  for (const s of SEGMENTER.segment(paragraph)) {
    const sentence = s.segment.trim();
    if (!sentence) continue;
    const last = out.at(-1);
    if (last !== undefined && ABBREVIATION_END.test(last)) out[out.length - 1] = `${last} ${sentence}`;
    else out.push(sentence);
  }
  return out;
}

/** A heading, a breadcrumb, a menu: short text that does not read as a sentence. */
function quotable(sentence: string): boolean {
  const words = sentence.split(/\s+/).filter(Boolean).length;
  if (words < 3) return false;
  if (/(?:\s[|›»>·]\s.*){2,}/.test(sentence)) return false;
  return /[.!?:;)"'”]$/.test(sentence) || words >= 8;
}

/** The quotable units of one source, in reading order. */
export function splitUnits(text: string): Unit[] {
  const lines = text.split("\n");
  const nonEmpty = lines.filter((l) => l.trim() !== "");
  const structured = csvRows(nonEmpty) ?? jsonRecords(text, nonEmpty);
  if (structured) return structured;

  const units: Unit[] = [];
  let paragraph: string[] = [];
  let lastSentence: string | undefined;
  let tableHeader: string[] | null = null;
  const push = (kind: UnitKind, unitText: string) => units.push({ kind, text: unitText, order: units.length });
  const flush = () => {
    if (paragraph.length === 0) return;
    const joined = paragraph.join(" ").replace(/\s+/g, " ");
    paragraph = [];
    for (const sentence of sentencesOf(joined)) {
      lastSentence = sentence;
      if (quotable(sentence)) push("sentence", sentence);
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const block = [line];
      let j = i + 1;
      while (j < lines.length && !lines[j]!.trimStart().startsWith(fence[1]!)) block.push(lines[j++]!);
      if (j < lines.length) block.push(lines[j]!);
      else block.push(fence[1]!); // a chunk cut inside the block: close it
      i = j;
      // "To install rustfmt, run:" belongs with its command.
      const leadIn = lastSentence && /:$/.test(lastSentence) ? lastSentence : null;
      if (leadIn && units.at(-1)?.text === leadIn) units.pop();
      push("code", `${leadIn ? `${leadIn}\n` : ""}${block.join("\n")}`);
      lastSentence = undefined;
      continue;
    }
    if (TABLE_ROW.test(line)) {
      flush();
      const cells = line.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
      if (TABLE_RULE.test(line)) continue;
      if (!tableHeader) tableHeader = cells;
      else units.push({ kind: "row", text: labelled(tableHeader, cells), order: units.length, labels: tableHeader });
      continue;
    }
    tableHeader = null;
    if (!line.trim() || MARKDOWN_HEADING.test(line)) {
      flush();
      continue;
    }
    if (LIST_OR_QUOTE_MARKER.test(line)) flush();
    paragraph.push(line.replace(LIST_OR_QUOTE_MARKER, "").trim());
  }
  flush();
  return units;
}

export const EXTRACTIVE_PREFIX = "From the documents:";
/** The offline reader's model name in responses and analytics. */
export const EXTRACTIVE_MODEL = "extractive-v2";

/** How much an answer may quote. */
export interface QuoteBudget {
  /** Units quoted at most. */
  units: number;
  /** Words quoted at most (a unit that would pass it is skipped). */
  words: number;
  /** Sources quoted at most. */
  sources: number;
  /** Whether a further source is quoted only when it holds question words the answer lacks. */
  newSourceMustAddTerms: boolean;
}

export interface ExtractiveOptions {
  /**
   * The best unit is "clear" when it scores at least this much above the best unit that
   * is not a near-copy of it; a clear answer is quoted within `clear`, any other within
   * `unsure`.
   */
  clearMargin?: number;
  clear?: QuoteBudget;
  unsure?: QuoteBudget;
}

interface Candidate extends Unit {
  source: PromptSource;
  /** Rank of the source among those given (0 = best). */
  rank: number;
  terms: Set<string>;
  words: number;
  score: number;
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;
const pairsOf = (terms: string[]) => new Set(terms.slice(1).map((t, i) => `${terms[i]} ${t}`));

interface Wanted {
  /** Matches text holding the kind of thing asked for. */
  pattern: RegExp;
  /** Question words that only name that kind ("what year"): the answer need not repeat them. */
  framing: string[];
}

/** What kind of thing the question asks for, recognised from its wording. */
function wanted(question: string): Wanted | null {
  const q = question.toLowerCase();
  if (/\b(how (many|much|long|old|far|often|big|large|tall|high|fast)|what (percentage|percent|number|amount|size))\b/.test(q)) {
    return {
      pattern: /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|million|billion|dozen|half|several)\b/i,
      framing: ["number", "amount", "percentag", "percent"],
    };
  }
  if (/\b(when|what year|which year|what date|what century|what decade|what day|what month|what time)\b/.test(q)) {
    return {
      pattern: /\b(1\d{3}|20\d{2}|\d{1,2}(st|nd|rd|th)|\d{1,2}:\d{2}|centur(y|ies)|\d0s|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|autumn|winter)\b/i,
      framing: ["year", "date", "centuri", "decad", "dai", "month", "time"],
    };
  }
  if (/^\s*(who|whom|whose)\b|\bwhat (person|man|woman|player|team|company|organi[sz]ation|group)\b/.test(q)) {
    return { pattern: /\s[A-Z][\p{L}'-]+/u, framing: ["person", "compani", "organ", "organis", "group"] };
  }
  if (/^\s*where\b|\b(what|which) (city|country|state|region|place|location|town|continent)\b/.test(q)) {
    return { pattern: /\b(in|at|near|from|to|of) (the )?[A-Z][\p{L}'-]+/u, framing: ["citi", "countri", "state", "region", "place", "locat", "town", "contin"] };
  }
  return null;
}

/**
 * Answer length follows the reader's confidence. When one unit clearly answers best, the
 * answer is short: that unit and at most two close runners-up, within 60 words, from one
 * source or a second that covers more of the question. When the best units score alike,
 * the reader cannot tell which holds the answer, so it quotes the close contenders side
 * by side, within 100 words and from up to three sources, rather than guess one. Set on
 * SQuAD v1.1 dev (bench/tune-reader.ts, tuning half; docs/benchmarks.md): the margin 0.2
 * makes 55% of the answers clear; against one budget for all (55 words,
 * containment 0.777 held out), this gives 0.807 held out at a median of 57 words, the
 * unsure answers making p90 97 words instead of 76.
 */
export const DEFAULT_EXTRACTIVE_OPTIONS: Required<ExtractiveOptions> = {
  clearMargin: 0.2,
  clear: { units: 3, words: 60, sources: 2, newSourceMustAddTerms: true },
  unsure: { units: 5, words: 100, sources: 3, newSourceMustAddTerms: false },
};

export function createExtractiveResponder(options: ExtractiveOptions = {}): Responder {
  const settings = { ...DEFAULT_EXTRACTIVE_OPTIONS, ...options };
  return {
    provider: "local",
    model: EXTRACTIVE_MODEL,
    extractive: true,
    async generate(request: GenerationRequest, onToken): Promise<Generation> {
      const text = answer(request, settings);
      for (const piece of text.match(/\s*\S+/g) ?? []) onToken(piece);
      return {
        text,
        inputTokens: countTokens(request.question) + request.sources.reduce((n, s) => n + countTokens(s.content), 0),
        outputTokens: countTokens(text),
      };
    },
  };
}

/**
 * Scoring weights, set on SQuAD v1.1 dev subsets (docs/benchmarks.md): word pairs shared
 * with the question, holding the kind of thing asked for, the source's rank, and a
 * penalty per word beyond 35 (long sentences crowd out a second, better one).
 */
const W = { pairs: 0.25, fits: 0.12, rank: 0.02, len: 0.004 };
/** A runner-up is quoted when it scores at least this share of the best unit. */
const RUNNER_UP = 0.5;
/** Words that frame a question ("what is the name of", "how many") rather than name its subject. */
const FRAMING = new Set(["name", "call", "called", "kind", "type", "many", "much", "long", "mean", "happen", "term", "describe"].map(stem));

function answer(request: GenerationRequest, options: Required<ExtractiveOptions>): string {
  const kind = wanted(request.question);
  const allTerms = [...new Set(keywords(request.question))];
  const questionTerms = allTerms.filter((t) => !FRAMING.has(t) && !kind?.framing.includes(t));
  if (questionTerms.length === 0 || request.sources.length === 0) return "";
  const questionPairs = pairsOf(keywords(request.question));

  const candidates: Candidate[] = [];
  const labelTerms = new Set<string>();
  request.sources.forEach((source, rank) => {
    for (const unit of splitUnits(source.content)) {
      for (const label of unit.labels ?? []) for (const t of keywords(label.replace(/[._[\]"]/g, " "))) labelTerms.add(t);
      candidates.push({ ...unit, source, rank, terms: new Set(keywords(unit.text)), words: wordCount(unit.text), score: 0 });
    }
  });
  if (candidates.length === 0) return "";
  // "Which version of rustfmt...": for a row, a column name says which field is wanted,
  // not which row, so rows are scored on the other words (prose keeps them all).
  const aboutRows = questionTerms.filter((t) => !labelTerms.has(t));
  const rowTerms = aboutRows.length > 0 ? aboutRows : questionTerms;

  // IDF over the units at hand: words found in every unit tell units apart no better than stopwords.
  const df = new Map<string, number>();
  for (const c of candidates) for (const t of c.terms) df.set(t, (df.get(t) ?? 0) + 1);
  const weight = new Map(questionTerms.map((t) => [t, Math.log(1 + candidates.length / (1 + (df.get(t) ?? 0)))]));
  const totalOf = (terms: string[]) => terms.reduce((sum, t) => sum + weight.get(t)!, 0);
  const total = totalOf(questionTerms);
  const rowTotal = totalOf(rowTerms);

  candidates.forEach((c, i) => {
    // A sentence often leaves its subject to the one before ("The game was played at
    // Levi's Stadium"): words of the neighbouring units count half.
    // (Rows are records of their own: a neighbouring row says nothing about this one.)
    const neighbour = (n: Candidate | undefined) => (n && n.source === c.source && n.kind === "sentence" && c.kind !== "row" ? n.terms : undefined);
    const before = neighbour(candidates[i - 1]);
    const after = neighbour(candidates[i + 1]);
    let covered = 0;
    for (const t of c.kind === "row" ? rowTerms : questionTerms) {
      if (c.terms.has(t)) covered += weight.get(t)!;
      else if (before?.has(t) || after?.has(t)) covered += 0.5 * weight.get(t)!;
    }
    const coverage = covered / (c.kind === "row" ? rowTotal : total);
    const unitPairs = pairsOf(keywords(c.text));
    const pairHits = [...questionPairs].filter((p) => unitPairs.has(p)).length;
    const pairs = questionPairs.size > 0 ? pairHits / questionPairs.size : 0;
    // The answer is what the unit adds beyond the question's own words.
    const rest = c.text.replace(/[\p{L}\p{N}]+/gu, (w) => (questionTerms.includes(stem(w.toLowerCase())) ? "" : w));
    const fits = kind !== null && kind.pattern.test(rest) ? 1 : 0;
    c.score =
      coverage + W.pairs * pairs + W.fits * fits - W.rank * c.rank - W.len * Math.max(0, c.words - 35) + (c.kind === "code" ? 0.05 : 0);
  });

  const ranked = [...candidates].sort((a, b) => b.score - a.score);
  const best = ranked[0]!;
  if (best.score < 0.25) return "";

  const nearCopy = (a: Candidate, b: Candidate) => jaccard(a.terms, b.terms) >= 0.6 || a.text.includes(b.text) || b.text.includes(a.text);
  const contender = ranked.slice(1).find((c) => !nearCopy(best, c));
  const clear = !contender || best.score - contender.score >= options.clearMargin;
  const budget = clear ? options.clear : options.unsure;

  const chosen: Candidate[] = [best];
  const covered = new Set(questionTerms.filter((t) => best.terms.has(t)));
  let words = best.words;
  for (const c of ranked.slice(1)) {
    if (chosen.length >= budget.units || words >= budget.words) break;
    if (c.score < best.score * RUNNER_UP) break;
    if (chosen.some((k) => nearCopy(k, c))) continue;
    const adds = questionTerms.filter((t) => c.terms.has(t) && !covered.has(t));
    const sources = new Set(chosen.map((k) => k.source.index));
    if (!sources.has(c.source.index) && (sources.size >= budget.sources || (budget.newSourceMustAddTerms && adds.length === 0))) continue;
    if (words + c.words > budget.words) continue;
    chosen.push(c);
    words += c.words;
    for (const t of adds) covered.add(t);
  }

  // Reading order: sources in the order first picked, units in their order in the source.
  const sourceOrder = [...new Set(chosen.map((c) => c.source.index))];
  chosen.sort((a, b) => sourceOrder.indexOf(a.source.index) - sourceOrder.indexOf(b.source.index) || a.order - b.order);
  return render(chosen);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let both = 0;
  for (const t of a) if (b.has(t)) both++;
  const either = a.size + b.size - both;
  return either === 0 ? 1 : both / either;
}

/** Prose as one paragraph, rows as a list, code blocks on their own lines; each with its [n]. */
function render(units: Candidate[]): string {
  const blocks: string[] = [];
  let prose: string[] = [];
  const flushProse = () => {
    if (prose.length > 0) blocks.push(prose.join(" "));
    prose = [];
  };
  for (const u of units) {
    const marker = `[${u.source.index}]`;
    // Source text may carry its own bracketed numbers (footnotes): they are not our citations.
    const clean = u.kind === "code" ? u.text : u.text.replace(/\s*\[\d{1,3}\]/g, "");
    if (u.kind === "sentence") prose.push(`${clean} ${marker}`);
    else if (u.kind === "row") {
      flushProse();
      blocks.push(`- ${clean} ${marker}`);
    } else {
      flushProse();
      const lines = clean.split("\n");
      const lead = FENCE.test(lines[0]!) ? null : lines.shift()!;
      blocks.push(`${lead ? `${lead} ${marker}` : marker}\n${lines.join("\n")}`);
    }
  }
  flushProse();
  const rows = blocks.filter((b) => b.startsWith("- ")).length;
  return `${EXTRACTIVE_PREFIX}${rows > 0 || blocks.length > 1 ? "\n" : " "}${blocks.join("\n")}`;
}
