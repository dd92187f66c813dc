/**
 * Mounts the widget (launcher + chat panel) inside a shadow root and wires it to the chat
 * service; this module holds the widget's state and its event wiring, the parts live
 * beside it (`view`, `messages`, `conversation`, `service`, `storage`). The admin app
 * imports this same module for its live preview, so the preview is the real widget, not a
 * look-alike.
 */
import { type WidgetConfig, defaultWidgetConfig, resolveConfig } from "./config";
import { streamAnswer } from "./conversation";
import { errorNotice, fillAssistant, messageNode, pendingAnswer } from "./messages";
import { renderText } from "./render-text";
import { starsNode } from "./rating";
import { type HandoffTransport, type Rater, type Transport, fetchWidgetConfig, widgetHandoff, widgetRater, widgetTransport } from "./service";
import type { StoredMessage } from "./storage";
import { VisitorStore, defaultStorage } from "./storage";
import { applyAppearance, buildView, scrollToEnd, showPanel } from "./view";

export type { ChatRequest, Rater, Transport } from "./service";

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
  /** Sends star ratings (the widget endpoint by default; the admin preview swaps in its own). */
  rater?: Rater;
  /** How a handoff request is sent; the widget endpoint by default (tests and the admin preview swap it). */
  handoff?: HandoffTransport;
  storage?: Storage | null;
}

export interface WidgetController {
  update(config: unknown): void;
  open(): void;
  close(): void;
  destroy(): void;
  readonly shadowRoot: ShadowRoot;
}

export function mountWidget(options: MountOptions): WidgetController {
  const view = buildView(options.host ?? document.body, options.publicId);
  const { panel, log, form, input, send, launcher, closeBtn, resetBtn } = view;
  const store = new VisitorStore(options.publicId, options.storage === undefined ? defaultStorage() : options.storage);
  const transport = options.transport ?? widgetTransport(options.apiBase, options.publicId);
  const rater = options.rater ?? widgetRater(options.apiBase, options.publicId);
  const handoff = options.handoff ?? widgetHandoff(options.apiBase, options.publicId);
  /** The conversation a person was asked for (the button then says so). */
  let handedOff: string | null = null;
  let config: WidgetConfig = options.config !== undefined ? resolveConfig(options.config) : defaultWidgetConfig;
  /** Why the widget cannot be used here (the site is not allowed, the service is unreachable). */
  let unavailable: string | null = null;
  let busy = false;
  let abort: AbortController | null = null;

  function applyConfig(): void {
    applyAppearance(view, config, !!options.inline);
    renderLog();
  }

  function renderLog(): void {
    log.replaceChildren();
    if (config.initialGreeting) log.appendChild(messageNode({ role: "assistant", text: config.initialGreeting }, config.showSources));
    for (const m of store.state.messages) log.appendChild(withStars(messageNode(m, config.showSources), m));
    if (unavailable) log.appendChild(errorNotice(unavailable));
    input.disabled = !!unavailable;
    send.disabled = !!unavailable || busy;
    updateHandoff();
    scrollToEnd(log);
  }

  /** Adds the stars under a stored answer when the bot offers them. */
  function withStars(node: HTMLElement, message: StoredMessage): HTMLElement {
    if (!config.offerStars || message.role !== "assistant" || !message.messageId) return node;
    const messageId = message.messageId;
    node.appendChild(
      starsNode({
        stars: message.stars,
        rate: async (stars, comment) => {
          try {
            if (!(await rater({ messageId, visitorId: store.state.visitorId, stars, ...(comment ? { comment } : {}) }))) return false;
            message.stars = stars;
            store.save();
            return true;
          } catch {
            return false;
          }
        },
      }),
    );
    return node;
  }

  /** The handoff button shows once there is a conversation to hand over, when the bot offers it. */
  function updateHandoff(): void {
    const conversationId = store.state.conversationId;
    view.handoffBtn.hidden = !config.handoffEnabled || !conversationId || !!unavailable;
    view.handoffBtn.disabled = handedOff !== null && handedOff === conversationId;
    view.handoffBtn.textContent = view.handoffBtn.disabled ? "A person has been asked" : "Talk to a person";
  }

  view.handoffBtn.addEventListener("click", async () => {
    const conversationId = store.state.conversationId;
    if (!conversationId) return;
    view.handoffBtn.disabled = true;
    const result = await handoff({ conversationId, visitorId: store.state.visitorId });
    if ("ok" in result) {
      handedOff = conversationId;
      log.appendChild(messageNode({ role: "assistant", text: "Thanks, a person from the team has been asked to follow up on this conversation." }, false));
    } else {
      log.appendChild(errorNotice(result.error));
    }
    updateHandoff();
    scrollToEnd(log);
  });

  const setOpen = (open: boolean) => showPanel(view, open, config.headerText);

  async function ask(question: string): Promise<void> {
    busy = true;
    send.disabled = true;
    store.state.messages.push({ role: "user", text: question });
    store.save();
    log.appendChild(messageNode({ role: "user", text: question }, config.showSources));
    const answer = pendingAnswer();
    log.appendChild(answer);
    scrollToEnd(log);

    const controller = new AbortController();
    abort = controller;
    const { text, citations, messageId, failed } = await streamAnswer(question, {
      transport,
      store,
      signal: controller.signal,
      onText: (sofar) => {
        answer.replaceChildren(renderText(sofar));
        scrollToEnd(log);
      },
    });
    if (abort === controller) abort = null;
    busy = false;
    send.disabled = !!unavailable;
    if (controller.signal.aborted) {
      // "New conversation" cancelled it: the answer belongs to a conversation that is gone.
      answer.remove();
      return;
    }
    answer.removeAttribute("aria-busy");
    if (failed) {
      // A failed answer is not stored, so a partial one is not kept either.
      answer.remove();
      log.appendChild(errorNotice(failed));
    } else {
      fillAssistant(answer, text || "…", citations, config.showSources);
      const stored: StoredMessage = { role: "assistant", text, citations, ...(messageId ? { messageId } : {}) };
      store.state.messages.push(stored);
      withStars(answer, stored);
    }
    store.save();
    updateHandoff();
    scrollToEnd(log);
  }

  const closeAndReturnFocus = () => {
    setOpen(false);
    launcher.focus();
  };
  launcher.addEventListener("click", () => setOpen(panel.hidden === true));
  closeBtn.addEventListener("click", closeAndReturnFocus);
  resetBtn.addEventListener("click", () => {
    abort?.abort();
    store.reset();
    renderLog();
    input.focus();
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeAndReturnFocus();
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
    void fetchWidgetConfig(options.apiBase, options.publicId).then((remote) => {
      if ("config" in remote) config = remote.config;
      else unavailable = remote.unavailable;
      applyConfig();
    });
  }

  return {
    shadowRoot: view.shadow,
    update(next: unknown) {
      config = resolveConfig(next, config);
      applyConfig();
    },
    open: () => setOpen(true),
    close: () => setOpen(false),
    destroy() {
      abort?.abort();
      view.hostEl.remove();
    },
  };
}
