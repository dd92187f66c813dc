/**
 * Fits the support gate's weights (src/answer/support-model.ts) on SQuAD v1.1 dev, from
 * the evidence bench/dump-gate-evidence.ts collected (retrieval and question coverage of
 * every question, asked of the half-corpus bot holding its article and of the other).
 *
 * A logistic regression over the passage features (src/answer/support-features.ts), fitted
 * on the even-numbered questions only: a question asked of the bot holding its article is
 * a positive, asked of the other bot a negative, each described by its best passage. The
 * threshold is the one whose worse error rate is lowest on those questions; the
 * odd-numbered questions are reported as held out.
 *
 *   pnpm exec tsx bench/dump-gate-evidence.ts --out /tmp/gate-evidence.json
 *   pnpm exec tsx bench/fit-gate.ts --evidence /tmp/gate-evidence.json
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { QuestionCoverage, SentenceHit } from "@docent/db/queries/answer-support";
import postgres from "postgres";
import { FEATURES, type PassageFeatures, passageFeatures } from "../src/answer/support-features";
import { supportScore } from "../src/answer/support-model";
import { chatEnvSchema } from "../src/env";

const args = parseArgs({
  options: {
    evidence: { type: "string", default: "/tmp/gate-evidence.json" },
    features: { type: "string" },
    l2: { type: "string", default: "0.001" },
    rounds: { type: "string", default: "3" },
  },
}).values;

interface Side {
  chunks: { id: string }[];
  coverage: Omit<QuestionCoverage, "sentences"> & { sentences?: SentenceHit[] };
}
interface Dump {
  url: string;
  questions: { i: number; question: string; article: number; even: Side; odd: Side }[];
}

const dump = JSON.parse(readFileSync(args.evidence!, "utf8")) as Dump;

/**
 * Dumps made before getQuestionTermCoverage returned sentences (the first fit's) lack
 * them: they are read from the kept database with the same SQL, all chunks at once.
 */
async function completeEvidence() {
  const cache = `${args.evidence}.sentences.json`;
  if (!existsSync(cache)) {
    const sql = postgres(dump.url, { max: 2, onnotice: () => {} });
    const rows = await sql<{ id: string; n: number; term: string; positions: number[] }[]>`
      select c.id, s.n::int as n, u.lexeme as term, u.positions::int[] as positions
      from bot_document_chunks c
      cross join lateral regexp_split_to_table(c.content, '(?<=[.!?])\\s+') with ordinality as s(text, n)
      cross join lateral unnest(to_tsvector(c.text_search_config::regconfig, regexp_replace(s.text, '[[:punct:]]+', ' ', 'g'))) as u`;
    const sentences: Record<string, [number, string, number[]][]> = {};
    for (const r of rows) (sentences[r.id] ??= []).push([r.n, r.term, r.positions]);
    const positions: Record<string, number[]>[] = [];
    for (let k = 0; k < dump.questions.length; k += 500) {
      const batch = dump.questions.slice(k, k + 500);
      const qs = await sql<{ i: number; term: string; positions: number[] }[]>`
        select q.i::int as i, u.lexeme as term, u.positions::int[] as positions
        from unnest(${batch.map((q) => q.question)}::text[]) with ordinality as q(text, i)
        cross join lateral unnest(to_tsvector('english', q.text)) as u`;
      for (const r of qs) (positions[k + r.i - 1] ??= {})[r.term] = r.positions;
    }
    await sql.end();
    writeFileSync(cache, JSON.stringify({ sentences, positions }));
  }
  const { sentences, positions } = JSON.parse(readFileSync(cache, "utf8")) as {
    sentences: Record<string, [number, string, number[]][]>;
    positions: Record<string, number[]>[];
  };
  for (const [k, q] of dump.questions.entries()) {
    for (const side of [q.even, q.odd]) {
      const terms = new Set(side.coverage.terms.map((t) => t.term));
      for (const t of side.coverage.terms) t.positions = positions[k]?.[t.term] ?? [];
      side.coverage.sentences = side.chunks.flatMap((c) =>
        (sentences[c.id] ?? []).filter(([, term]) => terms.has(term)).map(([sentence, term, pos]) => ({ chunkId: c.id, sentence, term, positions: pos })),
      );
    }
  }
}

type Vector = number[];
const names = (args.features?.split(",") ?? [...FEATURES]) as (keyof PassageFeatures)[];
const vector = (f: PassageFeatures): Vector => names.map((n) => f[n]);

/** Logistic regression by Newton's method (IRLS) with a small L2 penalty on the weights, not the intercept. */
function fitLogistic(xs: Vector[], ys: number[], l2: number): { intercept: number; weights: Vector } {
  const d = xs[0]!.length + 1;
  let beta = new Array<number>(d).fill(0);
  for (let iter = 0; iter < 50; iter++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let k = 0; k < xs.length; k++) {
      const x = [1, ...xs[k]!];
      const p = 1 / (1 + Math.exp(-x.reduce((s, v, j) => s + v * beta[j]!, 0)));
      const w = Math.max(p * (1 - p), 1e-9);
      for (let a = 0; a < d; a++) {
        grad[a]! += (ys[k]! - p) * x[a]!;
        for (let b = 0; b < d; b++) hess[a]![b]! += w * x[a]! * x[b]!;
      }
    }
    for (let a = 1; a < d; a++) {
      grad[a]! -= l2 * xs.length * beta[a]!;
      hess[a]![a]! += l2 * xs.length;
    }
    const step = solve(hess, grad);
    beta = beta.map((b, j) => b + step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { intercept: beta[0]!, weights: beta.slice(1) };
}

/** Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c || m[c]![c] === 0) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / (row[i]! || 1));
}

if (dump.questions.some((q) => q.even.coverage.sentences === undefined)) await completeEvidence();
const features = dump.questions.map((q) => {
  const side = (h: 0 | 1) => {
    const s = h === 0 ? q.even : q.odd;
    return [...passageFeatures(s.chunks.map((c) => c.id), s.coverage as QuestionCoverage).values()];
  };
  return { q, own: side((q.article % 2) as 0 | 1), foreign: side(((q.article + 1) % 2) as 0 | 1) };
});

const score = (model: { intercept: number; weights: Vector }, f: PassageFeatures) =>
  1 / (1 + Math.exp(-(model.intercept + vector(f).reduce((s, v, j) => s + v * model.weights[j]!, 0))));
const best = (model: { intercept: number; weights: Vector }, fs: PassageFeatures[]) =>
  fs.reduce<{ f: PassageFeatures | null; p: number }>((acc, f) => {
    const p = score(model, f);
    return p > acc.p ? { f, p } : acc;
  }, { f: null, p: 0 });

// Start from the passage the former gate prefers (most coverage), then refit from the
// passage the model itself prefers: the question's decision is its best passage.
const l2 = Number(args.l2);
let model: { intercept: number; weights: Vector } = { intercept: 0, weights: names.map((n) => (n === "coverage" ? 1 : 0)) };
for (let round = 0; round < Number(args.rounds); round++) {
  const xs: Vector[] = [];
  const ys: number[] = [];
  for (const { q, own, foreign } of features) {
    if (q.i % 2 !== 0) continue;
    for (const [fs, y] of [[own, 1], [foreign, 0]] as const) {
      const f = best(model, fs).f;
      if (f) { xs.push(vector(f)); ys.push(y); }
    }
  }
  model = fitLogistic(xs, ys, l2);
}

const rates = (t: number, part: 0 | 1, m = model) => {
  const qs = features.filter(({ q }) => q.i % 2 === part);
  return {
    wronglyRefused: qs.filter((x) => best(m, x.own).p < t).length / qs.length,
    wronglyAnswered: qs.filter((x) => best(m, x.foreign).p >= t).length / qs.length,
  };
};
const grid = Array.from({ length: 81 }, (_, k) => 0.1 + k * 0.01);
const worse = (r: { wronglyRefused: number; wronglyAnswered: number }) => Math.max(r.wronglyRefused, r.wronglyAnswered);
const chosen = grid.reduce((a, b) => (worse(rates(b, 0)) < worse(rates(a, 0)) ? b : a));
const f3 = (x: number) => x.toFixed(3);
console.log(`features: ${names.join(", ")}`);
console.log(`intercept ${f3(model.intercept)}; ${names.map((n, j) => `${n} ${f3(model.weights[j]!)}`).join("; ")}`);
const tune = rates(chosen, 0);
const held = rates(chosen, 1);
console.log(`threshold ${chosen.toFixed(2)}: tuning ${f3(tune.wronglyRefused)} / ${f3(tune.wronglyAnswered)}, held-out ${f3(held.wronglyRefused)} / ${f3(held.wronglyAnswered)}`);
for (const t of [chosen - 0.1, chosen - 0.05, chosen + 0.05, chosen + 0.1]) {
  const h = rates(t, 1);
  console.log(`  at ${t.toFixed(2)}: held-out ${f3(h.wronglyRefused)} / ${f3(h.wronglyAnswered)}`);
}
console.log(`\nsupport-model.ts:\n  intercept: ${model.intercept.toFixed(3)},\n  weights: { ${names.map((n, j) => `${n}: ${model.weights[j]!.toFixed(3)}`).join(", ")} },\n  threshold ${chosen.toFixed(2)} (CHAT_MIN_SUPPORT)`);
// The committed model, for comparison.
{
  const committed = features.filter(({ q }) => q.i % 2 === 1);
  const c = (fs: PassageFeatures[]) => Math.max(0, ...fs.map((f) => supportScore(f)));
  const t = chatEnvSchema.parse({}).CHAT_MIN_SUPPORT;
  console.log(`committed model at CHAT_MIN_SUPPORT ${t}: held-out ${f3(committed.filter((x) => c(x.own) < t).length / committed.length)} / ${f3(committed.filter((x) => c(x.foreign) >= t).length / committed.length)}`);
}
if (process.env.SHOW_ERRORS) {
  const qs = features.filter(({ q }) => q.i % 2 === 1);
  const show = (label: string, xs: typeof qs, side: "own" | "foreign") => {
    console.log(label);
    for (const x of xs.slice(0, 15)) {
      const b = best(model, x[side]);
      console.log(`  ${b.p.toFixed(2)} ${x.q.question} ${JSON.stringify(b.f && Object.fromEntries(Object.entries(b.f).map(([k, v]) => [k, +v.toFixed(2)])))}`);
    }
  };
  show("wrongly refused", qs.filter((x) => best(model, x.own).p < chosen), "own");
  show("wrongly answered", qs.filter((x) => best(model, x.foreign).p >= chosen), "foreign");
}
