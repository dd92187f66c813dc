/**
 * The support gate's weights: a logistic regression over the passage features of
 * support-features.ts, giving the chance, 0-1, that a passage supports the question.
 *
 * Fitted on SQuAD v1.1 dev, even-numbered questions only (5,285): each asked of a bot
 * holding its article (supported) and of one holding the other half of the articles (not
 * supported), described by its best passage among the five retrieved; the odd-numbered
 * questions are held out (docs/benchmarks.md). Newton's method, L2 penalty 0.001. Refit
 * (it prints this block) with, from apps/chat:
 *
 *   pnpm exec tsx bench/dump-gate-evidence.ts --out /tmp/gate-evidence.json
 *   pnpm exec tsx bench/fit-gate.ts --evidence /tmp/gate-evidence.json
 *
 * The default threshold (CHAT_MIN_SUPPORT, env.ts) is the one fit-gate.ts prints: the
 * lowest worse-of-the-two error rate on the fitting questions.
 */
import { FEATURES, type PassageFeatures } from "./support-features";

export const SUPPORT_MODEL: { intercept: number; weights: PassageFeatures } = {
  intercept: -8.014,
  weights: { coverage: 2.279, sentence: 3.084, twoSentences: 2.88, phrases: 1.916, unseen: -0.671, length: 0.277, mass: 2.92 },
};

/** The chance, 0-1, that the passage supports the question. */
export function supportScore(f: PassageFeatures): number {
  const z = FEATURES.reduce((sum, name) => sum + SUPPORT_MODEL.weights[name] * f[name], SUPPORT_MODEL.intercept);
  return 1 / (1 + Math.exp(-z));
}
