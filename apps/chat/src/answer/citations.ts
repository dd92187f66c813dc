/**
 * Citation checking, done on the stream itself so that what a client is sent is exactly
 * what is stored. A `[n]` marker is held back until it is complete; it is emitted only if
 * its number names a source that was given to the model, and then renumbered by first
 * appearance (the first source cited becomes [1], the next new one [2]...). A marker
 * naming anything else is dropped together with the space before it. Text inside inline
 * code or fenced code blocks passes through untouched (`a[1]` is code, not a citation),
 * and the answer is trimmed: leading whitespace is never sent, trailing whitespace is
 * held until something visible follows it.
 */

export interface CitationResult {
  /** The clean text: the concatenation of everything `push` and `end` returned. */
  text: string;
  /** Cited source numbers as given to the model, in order of first appearance: `[k]` in `text` is `cited[k - 1]`. */
  cited: number[];
  /** Source numbers of markers removed because no such source was given. */
  dropped: number[];
}

export interface CitationStream {
  /** Feeds a piece of model text; returns the text that is now safe to send (maybe ""). */
  push(piece: string): string;
  /** Ends the stream; returns whatever was still held back. */
  end(): string;
  result(): CitationResult;
}

/** Longest marker we hold back: "[" + three digits + "]". */
const MAX_MARKER = 5;
const PUNCTUATION = /^[.,;:!?)]/;

export function createCitationStream(sourceCount: number): CitationStream {
  const cited: number[] = [];
  const dropped: number[] = [];
  let out = "";
  /** Unresolved input: a partial marker or a run of backticks. */
  let held = "";
  /** Whitespace not yet sent: only sent once something visible follows. */
  let space = "";
  /** A marker was just dropped: the space before it goes if punctuation or a line end follows. */
  let afterDrop = false;
  /** Inside code: the length of the backtick run that opened it. */
  let codeTicks = 0;

  const emit = (visible: string, acc: string[]) => {
    if (out.length > 0 || acc.length > 0) acc.push(space);
    space = "";
    afterDrop = false;
    acc.push(visible);
  };

  /** Consumes `input` (held text first); keeps an unfinished tail in `held`. */
  function run(input: string, final: boolean): string {
    const acc: string[] = [];
    const text = held + input;
    held = "";
    let i = 0;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === "`") {
        let j = i;
        while (j < text.length && text[j] === "`") j++;
        if (j === text.length && !final) {
          held = text.slice(i);
          break;
        }
        const ticks = j - i;
        if (codeTicks === 0) codeTicks = ticks;
        else if (ticks === codeTicks) codeTicks = 0;
        emit(text.slice(i, j), acc);
        i = j;
        continue;
      }
      if (codeTicks > 0) {
        // Code is quoted as is, whitespace included.
        let j = i;
        while (j < text.length && text[j] !== "`") j++;
        if (space) emit("", acc);
        acc.push(text.slice(i, j));
        i = j;
        continue;
      }
      if (/\s/.test(ch)) {
        if (afterDrop && ch === "\n") {
          // "... [9]\n": the dropped marker's leading space goes, the line break stays.
          space = "";
          afterDrop = false;
        }
        // "a [9] b" becomes "a b", not "a  b".
        const collapse = afterDrop && space.length > 0;
        if (!collapse && (out.length > 0 || acc.length > 0)) space += ch;
        i++;
        continue;
      }
      if (ch === "[") {
        const m = /^\[(\d{0,3})(\]?)/.exec(text.slice(i, i + MAX_MARKER));
        const rest = text.length - i;
        if (m && !m[2] && m[0].length === rest && rest < MAX_MARKER && !final) {
          // "[", "[1", "[12": could still become a marker.
          held = text.slice(i);
          break;
        }
        if (m && m[1] && m[2]) {
          const n = Number(m[1]);
          if (n >= 1 && n <= sourceCount) {
            let k = cited.indexOf(n);
            if (k < 0) k = cited.push(n) - 1;
            // A marker sticks to the word before it only if the model wrote it so.
            emit(`[${k + 1}]`, acc);
          } else {
            if (!dropped.includes(n)) dropped.push(n);
            afterDrop = true;
          }
          i += m[0].length;
          continue;
        }
      }
      if (afterDrop && PUNCTUATION.test(ch)) space = "";
      emit(ch, acc);
      i++;
    }
    const chunk = acc.join("");
    out += chunk;
    return chunk;
  }

  return {
    push: (piece) => run(piece, false),
    end: () => {
      const rest = run("", true);
      space = "";
      return rest;
    },
    result: () => ({ text: out, cited: [...cited], dropped: [...dropped] }),
  };
}

/** The whole-text form of the stream: same rules, same result. */
export function verifyCitations(answer: string, sourceCount: number): CitationResult {
  const stream = createCitationStream(sourceCount);
  stream.push(answer);
  stream.end();
  return stream.result();
}
