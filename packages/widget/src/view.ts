/**
 * The widget's DOM: a host element with a shadow root holding the stylesheet, the launcher
 * and the chat panel (header, message log, composer), with ids unique to this mount; and
 * the appearance and open/closed state applied to it.
 */
import type { WidgetConfig } from "./config";
import { el, icon } from "./dom";
import { widgetCss } from "./styles";

const ICON_CHAT =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';
const ICON_CLOSE =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true"><path d="M18 6 6 18M6 6l12 12"/></svg>';
const ICON_RESET =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M3 12a9 9 0 1 0 3-6.7L3 8"/><path d="M3 3v5h5"/></svg>';

export interface WidgetView {
  hostEl: HTMLDivElement;
  shadow: ShadowRoot;
  root: HTMLDivElement;
  panel: HTMLDivElement;
  avatar: HTMLImageElement;
  title: HTMLHeadingElement;
  resetBtn: HTMLButtonElement;
  closeBtn: HTMLButtonElement;
  log: HTMLDivElement;
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  send: HTMLButtonElement;
  /** "Talk to a person" (widget handoff); hidden unless the bot offers it and a conversation exists. */
  handoffBtn: HTMLButtonElement;
  launcher: HTMLButtonElement;
}

let instances = 0;

export function buildView(host: HTMLElement, publicId: string): WidgetView {
  const uid = `docent-${++instances}`;
  const hostEl = document.createElement("div");
  hostEl.setAttribute("data-docent-widget", publicId);
  host.appendChild(hostEl);
  const shadow = hostEl.attachShadow({ mode: "open" });
  const style = el("style");
  style.textContent = widgetCss;
  shadow.appendChild(style);

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
  const handoffBtn = el("button", "handoff", "Talk to a person");
  handoffBtn.type = "button";
  handoffBtn.hidden = true;
  footer.append(" ", handoffBtn);
  panel.append(header, log, form, footer);

  const launcher = el("button", "launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-controls", panel.id);
  launcher.setAttribute("aria-expanded", "false");
  launcher.appendChild(icon(ICON_CHAT));
  root.append(panel, launcher);
  shadow.appendChild(root);

  // The composer: Enter sends (Shift+Enter and IME composition do not), and it grows with its text.
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

  return { hostEl, shadow, root, panel, avatar, title, resetBtn, closeBtn, log, form, input, send, handoffBtn, launcher };
}

export function applyAppearance(view: WidgetView, config: WidgetConfig, inline: boolean): void {
  const { root } = view;
  root.className = ["root", config.position === "bottom-left" ? "left" : "", inline ? "inline" : "", config.theme].filter(Boolean).join(" ");
  root.style.setProperty("--dw-primary", config.primaryColor);
  root.style.setProperty("--dw-on-primary", config.textColor);
  if (config.theme === "light") root.style.setProperty("--dw-bg", config.backgroundColor);
  else root.style.removeProperty("--dw-bg");
  root.style.setProperty("--dw-width", `${config.width}px`);
  root.style.setProperty("--dw-height", `${config.height}px`);
  view.title.textContent = config.headerText;
  view.input.placeholder = config.inputPlaceholder;
  labelLauncher(view, config.headerText);
  view.avatar.hidden = !config.avatarUrl;
  if (config.avatarUrl) view.avatar.src = config.avatarUrl;
}

export function showPanel(view: WidgetView, open: boolean, headerText: string): void {
  view.panel.hidden = !open;
  view.launcher.setAttribute("aria-expanded", String(open));
  labelLauncher(view, headerText);
  if (open) {
    scrollToEnd(view.log);
    (view.input.disabled ? view.closeBtn : view.input).focus();
  }
}

function labelLauncher(view: WidgetView, headerText: string): void {
  view.launcher.setAttribute("aria-label", view.panel.hidden ? `Open chat: ${headerText}` : "Close chat");
}

export function scrollToEnd(log: HTMLElement): void {
  log.scrollTop = log.scrollHeight;
}
