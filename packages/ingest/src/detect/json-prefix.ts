/**
 * Whether a string is the beginning of a JSON document: the head of a large JSON file is
 * cut mid-document, so `JSON.parse` alone would call it text.
 */

/** True when `s` is a syntactically valid beginning of a JSON object or array. */
export function isJsonPrefix(s: string): boolean {
  type State = "value" | "valueOrEnd" | "keyOrEnd" | "key" | "colon" | "commaOrEnd" | "done";
  const stack: string[] = [];
  let state: State = "value";
  let i = 0;
  const after = (): State => (stack.length === 0 ? "done" : "commaOrEnd");
  const skipWs = () => {
    while (i < s.length && (s[i] === " " || s[i] === "\n" || s[i] === "\r" || s[i] === "\t")) i++;
  };
  /** Returns the index after the closing quote, s.length if cut off, or -1 if invalid. */
  const scanString = (): number => {
    let j = i + 1;
    while (j < s.length) {
      const c = s.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c === 0x5c) j += 2;
      else if (c < 0x20) return -1;
      else j++;
    }
    return s.length;
  };
  while (true) {
    skipWs();
    if (i >= s.length) return stack.length > 0 || state === "done";
    const c = s[i]!;
    switch (state) {
      case "done":
        return false;
      case "value":
      case "valueOrEnd": {
        if (state === "valueOrEnd" && c === "]") {
          stack.pop();
          i++;
          state = after();
        } else if (c === "{" || c === "[") {
          stack.push(c);
          i++;
          state = c === "{" ? "keyOrEnd" : "valueOrEnd";
        } else if (stack.length === 0) {
          return false;
        } else if (c === '"') {
          const end = scanString();
          if (end === -1) return false;
          if (end === s.length) return true;
          i = end;
          state = after();
        } else {
          const m = /-?\d[\d.eE+-]*|true|false|null/y;
          m.lastIndex = i;
          const hit = m.exec(s);
          if (hit) {
            i += hit[0].length;
            state = after();
          } else {
            const rest = s.slice(i);
            return ["true", "false", "null"].some((lit) => lit.startsWith(rest)) || rest === "-";
          }
        }
        break;
      }
      case "keyOrEnd":
      case "key": {
        if (state === "keyOrEnd" && c === "}") {
          stack.pop();
          i++;
          state = after();
        } else if (c === '"') {
          const end = scanString();
          if (end === -1) return false;
          if (end === s.length) return true;
          i = end;
          state = "colon";
        } else return false;
        break;
      }
      case "colon":
        if (c !== ":") return false;
        i++;
        state = "value";
        break;
      case "commaOrEnd": {
        const top = stack[stack.length - 1];
        if (c === ",") {
          i++;
          state = top === "{" ? "key" : "value";
        } else if ((top === "{" && c === "}") || (top === "[" && c === "]")) {
          stack.pop();
          i++;
          state = after();
        } else return false;
        break;
      }
    }
  }
}
