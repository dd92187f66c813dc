/**
 * Token counting with the cl100k_base BPE (gpt-tokenizer: pure JS, vocabulary bundled in
 * the npm package, so it works offline). Text that happens to contain special-token
 * strings such as "<|endoftext|>" is counted as ordinary text instead of throwing.
 */
import { countTokens as countCl100k, decode, encode } from "gpt-tokenizer/encoding/cl100k_base";

export const TOKENIZER_NAME = "cl100k_base";

const plainText = { disallowedSpecial: new Set<string>() };

export function countTokens(text: string): number {
  return countCl100k(text, plainText);
}

export function encodeTokens(text: string): number[] {
  return encode(text, plainText);
}

export function decodeTokens(tokens: Iterable<number>): string {
  return decode(tokens);
}
