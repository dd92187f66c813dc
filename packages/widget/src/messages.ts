/**
 * The messages of the log as DOM: a visitor's question, an assistant answer with its
 * citation buttons and collapsible sources, a notice, and the typing placeholder of an
 * answer on its way. All message text goes in as text, never as markup.
 */
import type { Citation } from "./chat-stream";
import { el } from "./dom";
import { renderText } from "./render-text";
import type { StoredMessage } from "./storage";

export function messageNode(message: StoredMessage, showSources: boolean): HTMLElement {
  const node = el("div", `msg ${message.role}`);
  if (message.role === "user") {
    node.textContent = message.text;
    return node;
  }
  if (message.role === "notice") {
    node.setAttribute("role", "alert");
    node.textContent = message.text;
    return node;
  }
  fillAssistant(node, message.text, message.citations ?? [], showSources);
  return node;
}

/** A notice that something failed (the site is not allowed, an answer could not be had). */
export function errorNotice(text: string): HTMLElement {
  return Object.assign(messageNode({ role: "notice", text }, false), { className: "msg notice error" });
}

/** An assistant message holding only the typing indicator, until the first words arrive. */
export function pendingAnswer(): HTMLElement {
  const answer = el("div", "msg assistant");
  answer.setAttribute("aria-busy", "true");
  const typing = el("span", "typing");
  typing.setAttribute("aria-label", "The assistant is typing");
  typing.append(el("i"), el("i"), el("i"));
  answer.appendChild(typing);
  return answer;
}

export function fillAssistant(node: HTMLElement, text: string, citations: Citation[], showSources: boolean): void {
  node.replaceChildren();
  const sources = showSources ? renderSources(citations) : null;
  node.appendChild(renderText(text, (i) => (showSources ? citationButton(i, citations, sources) : null)));
  if (sources) node.appendChild(sources);
}

function citationButton(index: number, citations: Citation[], sources: HTMLElement | null): Node | null {
  const citation = citations.find((c) => c.index === index);
  if (!citation) return null;
  const btn = el("button", "cite", String(index));
  btn.type = "button";
  btn.setAttribute("aria-label", `Source ${index}: ${citation.documentName}`);
  btn.addEventListener("click", () => {
    const details = sources?.querySelector<HTMLDetailsElement>(`details[data-index="${index}"]`);
    if (details) {
      details.open = true;
      details.querySelector("summary")?.focus();
    }
  });
  return btn;
}

function renderSources(citations: Citation[]): HTMLElement | null {
  if (citations.length === 0) return null;
  const box = el("div", "sources");
  box.appendChild(el("div", "", "Sources"));
  for (const c of citations) {
    const details = el("details");
    details.dataset.index = String(c.index);
    const where = [c.page ? `p. ${c.page}` : "", c.headingPath?.join(" › ") ?? ""].filter(Boolean).join(" · ");
    details.appendChild(el("summary", "", `[${c.index}] ${c.documentName}${where ? ` · ${where}` : ""}`));
    if (c.content) details.appendChild(el("div", "snippet", c.content));
    box.appendChild(details);
  }
  return box;
}
