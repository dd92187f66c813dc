/**
 * Names people type (documents, uploaded files, bots, prompts, workspaces, API keys, user
 * names) are shown in lists, page titles and download file names. Unicode control (Cc)
 * and format (Cf) characters can make a name display as something it is not: a
 * right-to-left override turns `invoice\u202Etxt.exe` into "invoiceexe.txt" on screen.
 * `sanitizeName` removes them, turns line breaks and tabs into one space and trims.
 *
 * Kept on purpose: ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER (U+200C, U+200D). They
 * are part of how Persian and Indic words and emoji sequences are written, and they
 * cannot reorder or hide text the way bidi controls do.
 */
import { z } from "zod";

const LINE_BREAKS_AND_TABS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
const CONTROL_AND_FORMAT = /(?![\u200c\u200d])[\p{Cc}\p{Cf}]/gu;

export function sanitizeName(value: string): string {
  return value.replace(LINE_BREAKS_AND_TABS, " ").replace(CONTROL_AND_FORMAT, "").trim();
}

/** A user-supplied name: sanitised (see `sanitizeName`), then length-checked. */
export const nameText = (min: number, max: number) => z.string().overwrite(sanitizeName).min(min).max(max);
