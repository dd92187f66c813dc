/**
 * Turns answer text into DOM nodes without ever parsing it as HTML: paragraphs, bullet
 * lists, **bold**, `code` and `[n]` citation markers are recognised; everything else,
 * including any markup in the text, becomes a text node.
 */
export type CitationFactory = (index: number) => Node | null;

const INLINE = /(\*\*[^*\n]+\*\*|`[^`\n]+`|\[\d{1,2}\])/g;

function appendInline(parent: Node, text: string, citation: CitationFactory): void {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const token = match[0];
    const at = match.index ?? 0;
    if (at > last) parent.appendChild(document.createTextNode(text.slice(last, at)));
    last = at + token.length;
    if (token.startsWith("**")) {
      const strong = document.createElement("strong");
      strong.textContent = token.slice(2, -2);
      parent.appendChild(strong);
    } else if (token.startsWith("`")) {
      const code = document.createElement("code");
      code.textContent = token.slice(1, -1);
      parent.appendChild(code);
    } else {
      const node = citation(Number(token.slice(1, -1)));
      parent.appendChild(node ?? document.createTextNode(token));
    }
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
}

export function renderText(text: string, citation: CitationFactory = () => null): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const block of text.split(/\n{2,}/)) {
    if (!block.trim()) continue;
    const lines = block.split("\n");
    if (lines.every((l) => /^\s*[-*] /.test(l))) {
      const list = document.createElement("ul");
      for (const line of lines) {
        const item = document.createElement("li");
        appendInline(item, line.replace(/^\s*[-*] /, ""), citation);
        list.appendChild(item);
      }
      fragment.appendChild(list);
      continue;
    }
    const p = document.createElement("p");
    lines.forEach((line, i) => {
      if (i > 0) p.appendChild(document.createElement("br"));
      appendInline(p, line, citation);
    });
    fragment.appendChild(p);
  }
  return fragment;
}
