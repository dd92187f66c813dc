/**
 * Entry of the embeddable bundle: `<script src="https://host/widget.js" data-bot="PUBLIC_ID">`.
 * The chat service is found next to the script (`<script origin>/chat`) unless
 * `data-api` names another base URL.
 */
import { mountWidget } from "@docent/widget-kit/mount";

export { mountWidget } from "@docent/widget-kit/mount";

function start(script: HTMLScriptElement | null): void {
  const publicId = script?.dataset.bot;
  if (!script || !publicId) {
    console.warn("[docent] widget.js needs a data-bot attribute with the bot's public id.");
    return;
  }
  const apiBase = script.dataset.api ?? `${new URL(script.src, location.href).origin}/chat`;
  const run = () => mountWidget({ publicId, apiBase, startOpen: script.dataset.open === "true" });
  if (document.body) run();
  else document.addEventListener("DOMContentLoaded", run, { once: true });
}

// currentScript is only set while the script first runs, so read it synchronously.
start(document.currentScript as HTMLScriptElement | null);
