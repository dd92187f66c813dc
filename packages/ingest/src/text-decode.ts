/**
 * Turns bytes of unknown encoding into text: a BOM wins, then strict UTF-8 (valid UTF-8
 * with non-ASCII bytes is almost never anything else), then a declared charset (HTTP
 * header, HTML meta), then the encoding chardet guesses (decoded with the WHATWG
 * TextDecoder, which Node ships with full ICU), then lenient UTF-8 as a last resort.
 */
import { detect } from "chardet";

export interface DecodedText {
  text: string;
  encoding: string;
}

export function decodeText(bytes: Uint8Array, options: { declaredCharset?: string | undefined } = {}): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "utf-8" };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be" };
  }
  const utf8 = tryDecode("utf-8", bytes, true);
  if (utf8 !== null) return { text: utf8, encoding: "utf-8" };

  const declared = options.declaredCharset?.trim().toLowerCase();
  if (declared) {
    const text = tryDecode(declared, bytes, false);
    if (text !== null) return { text, encoding: declared };
  }

  const guessed = detect(bytes.length > 65_536 ? bytes.subarray(0, 65_536) : bytes);
  if (guessed) {
    const text = tryDecode(guessed.toLowerCase(), bytes, false);
    if (text !== null) return { text, encoding: guessed.toLowerCase() };
  }
  return { text: new TextDecoder("utf-8").decode(bytes), encoding: "utf-8" };
}

/**
 * Decodes a prefix of a file that may end in the middle of a multi-byte character: up to
 * three trailing bytes are dropped before the strict UTF-8 attempt.
 */
export function decodeHead(head: Uint8Array): DecodedText {
  if (head.length > 3 && head[0] !== 0xff && head[0] !== 0xfe) {
    for (let cut = 0; cut <= 3; cut++) {
      const text = tryDecode("utf-8", head.subarray(head[0] === 0xef ? 3 : 0, head.length - cut), true);
      if (text !== null) return { text, encoding: "utf-8" };
    }
  }
  return decodeText(head);
}

function tryDecode(label: string, bytes: Uint8Array, fatal: boolean): string | null {
  try {
    return new TextDecoder(label, { fatal }).decode(bytes);
  } catch {
    return null;
  }
}

/** The charset parameter of a Content-Type header value. */
export function charsetFromContentType(contentType: string | null | undefined): string | undefined {
  return contentType ? /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1] : undefined;
}

/** The charset an HTML document declares in its first kilobytes (<meta charset> or http-equiv). */
export function charsetFromHtmlMeta(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 4096));
  return /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
}
