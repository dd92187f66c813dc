/**
 * Renders message text as Markdown without ever interpreting HTML: raw HTML in the
 * text (a document or a user can contain `<script>` or `<img onerror>`) is turned back
 * into plain text before rendering, and `[n]` markers become citation buttons.
 */
import type { ReactNode } from "react";
import Markdown, { type Components } from "react-markdown";
import type { Citation } from "../../api/types";

interface MdNode {
  type: string;
  value?: string;
  url?: string;
  children?: MdNode[];
}

const CITE = /\[(\d{1,2})\]/g;

/** remark plugin: HTML nodes become text, and `[n]` in text becomes a `#cite-n` link. */
function remarkSafeCitations() {
  const walk = (node: MdNode): void => {
    if (!node.children) return;
    const out: MdNode[] = [];
    for (const child of node.children) {
      if (child.type === "html") {
        out.push({ type: "text", value: child.value ?? "" });
        continue;
      }
      if (child.type === "text" && child.value && CITE.test(child.value)) {
        CITE.lastIndex = 0;
        let last = 0;
        for (const m of child.value.matchAll(CITE)) {
          const at = m.index ?? 0;
          if (at > last) out.push({ type: "text", value: child.value.slice(last, at) });
          out.push({ type: "link", url: `#cite-${m[1]}`, children: [{ type: "text", value: m[1]! }] });
          last = at + m[0].length;
        }
        if (last < child.value.length) out.push({ type: "text", value: child.value.slice(last) });
        continue;
      }
      if (child.type !== "code" && child.type !== "inlineCode") walk(child);
      out.push(child);
    }
    node.children = out;
  };
  return (tree: MdNode) => walk(tree);
}

export interface MessageContentProps {
  text: string;
  citations?: Citation[];
  onCitation?(citation: Citation): void;
}

export function MessageContent({ text, citations = [], onCitation }: MessageContentProps) {
  const components: Components = {
    a({ href, children }) {
      const match = href?.match(/^#cite-(\d+)$/);
      if (match) {
        const index = Number(match[1]);
        const citation = citations.find((c) => c.index === index);
        if (!citation) return <span className="cite-missing">[{index}]</span>;
        return (
          <button type="button" className="cite" onClick={() => onCitation?.(citation)} aria-label={`Source ${index}: ${citation.documentName}`} title={citation.documentName}>
            {children as ReactNode}
          </button>
        );
      }
      return (
        <a href={href} target="_blank" rel="noopener noreferrer nofollow">
          {children as ReactNode}
        </a>
      );
    },
    img({ alt }) {
      // Images in answers are shown as their alt text: no remote loads from message content.
      return <span>{alt ? `[image: ${alt}]` : "[image]"}</span>;
    },
  };
  return (
    <div className="prose">
      <Markdown remarkPlugins={[remarkSafeCitations]} components={components} skipHtml={false}>
        {text}
      </Markdown>
    </div>
  );
}

/** Plain text for user messages: they are shown exactly as typed. */
export function PlainText({ text }: { text: string }) {
  return <div style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{text}</div>;
}
