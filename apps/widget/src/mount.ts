/**
 * Builds the widget (launcher + chat panel) inside a shadow root and wires it to the chat
 * service. The admin app imports this same module for its live preview, so the preview is
 * the real widget, not a look-alike.
 */
import { type Citation, consumeChatResponse, errorMessageOf } from "./chat-stream";
import { type WidgetConfig, defaultWidgetConfig, resolveConfig } from "./config";
import { renderText } from "./render-text";
import { type StoredMessage, VisitorStore } from "./storage";
import { widgetCss } from "./styles";

export interface ChatRequest {
  message: string;
  conversationId?: string;
  visitorId: string;
}
/** Sends one question; the default posts to the widget endpoint, the admin preview swaps in its own. */
export type Transport = (request: ChatRequest, signal: AbortSignal) => Promise<Response>;

export interface MountOptions {
  publicId: string;
  /** Base URL of the chat service, e.g. `https://docent.example.com/chat`. */
  apiBase: string;
  /** Element the widget attaches to; defaults to document.body. */
  host?: HTMLElement;
  /** Position inside `host` instead of fixed to the viewport (admin preview). */
  inline?: boolean;
  /** Appearance to use instead of fetching it (admin preview). */
  config?: unknown;
  startOpen?: boolean;
  transport?: Transport;
  storage?: Storage | null;
}

export interface WidgetController {
  update(config: unknown): void;
  open(): void;
  close(): void;
  destroy(): void;
  readonly shadowRoot: ShadowRoot;
}

const ICON_CHAT =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';
const ICON_CLOSE =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true"><path d="M18 6 6 18M6 6l12 12"/></svg>';
const ICON_RESET =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M3 12a9 9 0 1 0 3-6.7L3 8"/><path d="M3 3v5h5"/></svg>';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Our own constant SVG markup only; never message text. */
function icon(markup: string): Element {
  const template = document.createElement("template");
  template.innerHTML = markup;
  return template.content.firstElementChild as Element;
}

function defaultStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

let instances = 0;

export function mountWidget(options: MountOptions): WidgetController {
  const uid = `docent-${++instances}`;
  const hostEl = document.createElement("div");
  hostEl.setAttribute("data-docent-widget", options.publicId);
  (options.host ?? document.body).appendChild(hostEl);
  const shadow = hostEl.attachShadow({ mode: "open" });
  const style = el("style");
  style.textContent = widgetCss;
  shadow.appendChild(style);

  const store = new VisitorStore(options.publicId, options.storage === undefined ? defaultStorage() : options.storage);
  let config: WidgetConfig = options.config !== undefined ? resolveConfig(options.config) : defaultWidgetConfig;
  let unavailable: string | null = null;
  let busy = false;
  let abort: AbortController | null = null;

  const root = el("div", "root");
  const panel = el("div", "panel");
  panel.id = `${uid}-panel`;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "false");
  panel.hidden = true;

  const header = el("div", "header");
  const avatar = el("img", "avatar");
  avatar.alt = "";
  const title = el("h2");
  title.id = `${uid}-title`;
  panel.setAttribute("aria-labelledby", title.id);
  const resetBtn = el("button", "icon-btn");
  resetBtn.type = "button";
  resetBtn.setAttribute("aria-label", "Start a new conversation");
  resetBtn.title = "New conversation";
  resetBtn.appendChild(icon(ICON_RESET));
  const closeBtn = el("button", "icon-btn");
  closeBtn.type = "button";
  closeBtn.setAttribute("aria-label", "Close chat");
  closeBtn.appendChild(icon(ICON_CLOSE));
  header.append(avatar, title, resetBtn, closeBtn);

  const log = el("div", "log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-relevant", "additions");

  const form = el("form", "composer");
  const label = el("label", "sr-only", "Your question");
  const input = el("textarea");
  input.id = `${uid}-input`;
  label.htmlFor = input.id;
  input.rows = 1;
  input.maxLength = 4000;
  const send = el("button", "send", "Send");
  send.type = "submit";
  form.append(label, input, send);
  const footer = el("div", "footer", "Answers come from this site's documents.");
  panel.append(header, log, form, footer);

  const launcher = el("button", "launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-controls", panel.id);
  launcher.setAttribute("aria-expanded", "false");
  launcher.appendChild(icon(ICON_CHAT));
  root.append(panel, launcher);
  shadow.appendChild(root);

  function applyConfig(): void {
    root.className = ["root", config.position === "bottom-left" ? "left" : "", options.inline ? "inline" : "", config.theme].filter(Boolean).join(" ");
    root.style.setProperty("--dw-primary", config.primaryColor);
    root.style.setProperty("--dw-on-primary", config.textColor);
    if (config.theme === "light") root.style.setProperty("--dw-bg", config.backgroundColor);
    else root.style.removeProperty("--dw-bg");
    root.style.setProperty("--dw-width", `${config.width}px`);
    root.style.setProperty("--dw-height", `${config.height}px`);
    title.textContent = config.headerText;
    input.placeholder = config.inputPlaceholder;
    launcher.setAttribute("aria-label", panel.hidden ? `Open chat: ${config.headerText}` : "Close chat");
    avatar.hidden = !config.avatarUrl;
    if (config.avatarUrl) avatar.src = config.avatarUrl;
    renderLog();
  }

  function citationButton(index: number, citations: Citation[], sources: HTMLElement | null): Node | null {
    const citation = citations.find((c) => c.index === index);
    if (!citation || !config.showSources) return null;
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
    if (!config.showSources || citations.length === 0) return null;
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

  function messageNode(message: StoredMessage): HTMLElement {
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
    fillAssistant(node, message.text, message.citations ?? []);
    return node;
  }

  function fillAssistant(node: HTMLElement, text: string, citations: Citation[]): void {
    node.replaceChildren();
    const sources = renderSources(citations);
    node.appendChild(renderText(text, (i) => citationButton(i, citations, sources)));
    if (sources) node.appendChild(sources);
  }

  function renderLog(): void {
    log.replaceChildren();
    if (config.initialGreeting) log.appendChild(messageNode({ role: "assistant", text: config.initialGreeting }));
    for (const m of store.state.messages) log.appendChild(messageNode(m));
    if (unavailable) log.appendChild(Object.assign(messageNode({ role: "notice", text: unavailable }), { className: "msg notice error" }));
    input.disabled = !!unavailable;
    send.disabled = !!unavailable || busy;
    log.scrollTop = log.scrollHeight;
  }

  function setOpen(open: boolean): void {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.setAttribute("aria-label", open ? "Close chat" : `Open chat: ${config.headerText}`);
    if (open) {
      log.scrollTop = log.scrollHeight;
      (input.disabled ? closeBtn : input).focus();
    }
  }

  const transport: Transport =
    options.transport ??
    ((request, signal) =>
      fetch(`${options.apiBase.replace(/\/$/, "")}/v1/widget/${encodeURIComponent(options.publicId)}/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        credentials: "omit",
        body: JSON.stringify({ ...request, stream: true, pageUrl: location.href.slice(0, 2000) }),
        signal,
      }));

  async function ask(question: string): Promise<void> {
    busy = true;
    send.disabled = true;
    store.state.messages.push({ role: "user", text: question });
    store.save();
    log.appendChild(messageNode({ role: "user", text: question }));
    const answer = el("div", "msg assistant");
    answer.setAttribute("aria-busy", "true");
    const typing = el("span", "typing");
    typing.setAttribute("aria-label", "The assistant is typing");
    typing.append(el("i"), el("i"), el("i"));
    answer.appendChild(typing);
    log.appendChild(answer);
    log.scrollTop = log.scrollHeight;

    let text = "";
    let citations: Citation[] = [];
    let failed = null as string | null;
    abort = new AbortController();
    try {
      const request: ChatRequest = { message: question, visitorId: store.state.visitorId };
      if (store.state.conversationId) request.conversationId = store.state.conversationId;
      const response = await transport(request, abort.signal);
      await consumeChatResponse(
        response,
        {
          onStart: (info) => {
            if (info.visitorId) store.state.visitorId = info.visitorId;
          },
          onToken: (t) => {
            text += t;
            answer.replaceChildren(renderText(text));
            log.scrollTop = log.scrollHeight;
          },
          onCitations: (list) => {
            citations = list;
          },
          onDone: (info) => {
            // The conversation exists once its first answer is stored; the stored text is
            // what the transcript shows, so the widget ends on exactly that.
            if (info.conversationId) store.state.conversationId = info.conversationId;
            if (info.answer !== undefined && info.answer !== text) {
              text = info.answer;
              answer.replaceChildren(renderText(text));
            }
          },
          onError: (message) => {
            failed = message;
          },
        },
        abort.signal,
      );
    } catch (error) {
      if (!abort.signal.aborted) failed = "The assistant could not be reached. Please try again.";
      void error;
    }
    answer.removeAttribute("aria-busy");
    if (failed) {
      // A failed answer is not stored, so a partial one is not kept either.
      answer.remove();
      log.appendChild(Object.assign(messageNode({ role: "notice", text: failed }), { className: "msg notice error" }));
    } else {
      fillAssistant(answer, text || "…", citations);
      store.state.messages.push({ role: "assistant", text, citations });
    }
    store.save();
    busy = false;
    send.disabled = !!unavailable;
    log.scrollTop = log.scrollHeight;
    abort = null;
  }

  launcher.addEventListener("click", () => setOpen(panel.hidden === true));
  closeBtn.addEventListener("click", () => {
    setOpen(false);
    launcher.focus();
  });
  resetBtn.addEventListener("click", () => {
    abort?.abort();
    store.reset();
    renderLog();
    input.focus();
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      setOpen(false);
      launcher.focus();
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", () => {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question || busy || unavailable) return;
    input.value = "";
    input.style.height = "auto";
    void ask(question);
  });

  applyConfig();
  if (options.startOpen) setOpen(true);

  if (options.config === undefined) {
    const url = `${options.apiBase.replace(/\/$/, "")}/v1/widget/${encodeURIComponent(options.publicId)}/config`;
    fetch(url, { credentials: "omit", headers: { accept: "application/json" } })
      .then(async (response) => {
        if (!response.ok) {
          unavailable = await errorMessageOf(response);
        } else {
          config = resolveConfig(await response.json());
        }
      })
      .catch(() => {
        // A refusal without CORS headers is unreadable to us and looks like a network error.
        unavailable = "This assistant is not available on this site right now.";
      })
      .finally(applyConfig);
  }

  return {
    shadowRoot: shadow,
    update(next: unknown) {
      config = resolveConfig(next, config);
      applyConfig();
    },
    open: () => setOpen(true),
    close: () => setOpen(false),
    destroy() {
      abort?.abort();
      hostEl.remove();
    },
  };
}
