/** Token counting with the cl100k BPE (the same family the chunker sizes chunks with). */
import { countTokens as count } from "gpt-tokenizer/encoding/cl100k_base";

export const countTokens = (text: string): number => (text ? count(text) : 0);
