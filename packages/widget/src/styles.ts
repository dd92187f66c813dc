/**
 * The widget's stylesheet, applied inside its shadow root: `:host { all: initial }` stops
 * the host page's inherited styles, and nothing here can reach the page.
 */
export const widgetCss = `
:host { all: initial; }
.root {
  --dw-primary: #2563eb; --dw-on-primary: #fff; --dw-bg: #fff; --dw-fg: #111827;
  --dw-muted: #6b7280; --dw-border: #e5e7eb; --dw-bubble: #f3f4f6; --dw-width: 380px; --dw-height: 560px;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--dw-fg);
  position: fixed; bottom: 20px; right: 20px; z-index: 2147483000; display: flex; flex-direction: column;
  align-items: flex-end; gap: 12px; box-sizing: border-box;
}
.root *, .root *::before, .root *::after { box-sizing: border-box; }
.root.left { right: auto; left: 20px; align-items: flex-start; }
.root.inline { position: absolute; top: 20px; justify-content: flex-end; }
.root.dark { --dw-bg: #111827; --dw-fg: #f3f4f6; --dw-muted: #9ca3af; --dw-border: #374151; --dw-bubble: #1f2937; }
@media (prefers-color-scheme: dark) {
  .root.auto { --dw-bg: #111827; --dw-fg: #f3f4f6; --dw-muted: #9ca3af; --dw-border: #374151; --dw-bubble: #1f2937; }
}
.launcher {
  width: 56px; height: 56px; border-radius: 50%; border: none; cursor: pointer; display: grid; place-items: center;
  background: var(--dw-primary); color: var(--dw-on-primary); box-shadow: 0 8px 24px rgba(0,0,0,.2);
  transition: transform .15s ease;
}
.launcher:hover { transform: scale(1.05); }
.launcher:focus-visible, button:focus-visible, textarea:focus-visible, summary:focus-visible {
  outline: 3px solid var(--dw-primary); outline-offset: 2px;
}
.launcher svg { width: 26px; height: 26px; }
.panel {
  width: min(var(--dw-width), calc(100vw - 40px)); height: min(var(--dw-height), calc(100vh - 110px));
  background: var(--dw-bg); color: var(--dw-fg); border: 1px solid var(--dw-border); border-radius: 16px;
  box-shadow: 0 16px 48px rgba(0,0,0,.22); display: flex; flex-direction: column; overflow: hidden;
}
.root.inline .panel { height: min(var(--dw-height), calc(100% - 68px)); }
.panel[hidden] { display: none; }
.header { display: flex; align-items: center; gap: 10px; padding: 12px 14px; background: var(--dw-primary); color: var(--dw-on-primary); }
.header h2 { font-size: 15px; font-weight: 600; margin: 0; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.avatar { width: 28px; height: 28px; border-radius: 50%; object-fit: cover; }
.icon-btn { background: transparent; border: none; color: inherit; cursor: pointer; padding: 4px; border-radius: 6px; display: grid; place-items: center; }
.icon-btn:hover { background: rgba(255,255,255,.18); }
.icon-btn svg { width: 18px; height: 18px; }
.log { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 10px; }
.msg { max-width: 86%; padding: 9px 12px; border-radius: 14px; word-wrap: break-word; overflow-wrap: anywhere; }
.msg p { margin: 0 0 6px; } .msg p:last-child { margin-bottom: 0; }
.msg ul { margin: 0 0 6px; padding-left: 18px; }
.msg code { font-family: ui-monospace, monospace; font-size: 12px; background: rgba(127,127,127,.15); padding: 1px 4px; border-radius: 4px; }
.msg.user { align-self: flex-end; background: var(--dw-primary); color: var(--dw-on-primary); border-bottom-right-radius: 4px; white-space: pre-wrap; }
.msg.assistant { align-self: flex-start; background: var(--dw-bubble); border-bottom-left-radius: 4px; }
.msg.notice { align-self: stretch; max-width: none; background: transparent; border: 1px solid #f59e0b; color: var(--dw-fg); font-size: 13px; }
.msg.notice.error { border-color: #ef4444; }
.cite { font: 600 11px/1 system-ui, sans-serif; vertical-align: super; margin: 0 1px; padding: 2px 4px; border-radius: 4px; border: none; cursor: pointer; background: var(--dw-primary); color: var(--dw-on-primary); }
.sources { margin-top: 8px; border-top: 1px solid var(--dw-border); padding-top: 6px; font-size: 12px; }
.sources summary { cursor: pointer; color: var(--dw-muted); border-radius: 4px; }
.sources details { margin: 2px 0; }
.sources .snippet { margin: 4px 0 6px; padding: 6px 8px; border-left: 3px solid var(--dw-primary); background: var(--dw-bg); white-space: pre-wrap; max-height: 160px; overflow: auto; }
.rating { margin-top: 6px; font-size: 12px; color: var(--dw-muted); }
.stars { display: inline-flex; gap: 1px; }
.star { border: none; background: none; padding: 0 1px; font-size: 16px; line-height: 1; cursor: pointer; color: var(--dw-border); }
.star.on { color: #f59e0b; }
.star:focus-visible { outline: 2px solid var(--dw-primary); border-radius: 3px; }
.rating-status { margin-left: 6px; }
.rating-comment { display: flex; gap: 4px; margin-top: 4px; }
.rating-comment input { flex: 1; font: inherit; padding: 3px 6px; border: 1px solid var(--dw-border); border-radius: 6px; background: var(--dw-bg); color: var(--dw-fg); }
.rating-comment button { font: inherit; border: none; border-radius: 6px; padding: 3px 8px; background: var(--dw-primary); color: var(--dw-on-primary); cursor: pointer; }
.typing { display: inline-flex; gap: 3px; } .typing i { width: 6px; height: 6px; border-radius: 50%; background: var(--dw-muted); animation: dw-b 1s infinite; }
.typing i:nth-child(2) { animation-delay: .15s; } .typing i:nth-child(3) { animation-delay: .3s; }
@keyframes dw-b { 0%, 80%, 100% { opacity: .3; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .typing i { animation: none; } .launcher { transition: none; } }
.composer { display: flex; gap: 8px; padding: 10px; border-top: 1px solid var(--dw-border); align-items: flex-end; }
.composer textarea {
  flex: 1; resize: none; min-height: 40px; max-height: 120px; padding: 9px 11px; font: inherit; color: var(--dw-fg);
  background: var(--dw-bg); border: 1px solid var(--dw-border); border-radius: 10px;
}
.send { height: 40px; padding: 0 14px; border: none; border-radius: 10px; background: var(--dw-primary); color: var(--dw-on-primary); font: 600 14px system-ui, sans-serif; cursor: pointer; }
.send:disabled, .composer textarea:disabled { opacity: .55; cursor: not-allowed; }
.footer { text-align: center; font-size: 11px; color: var(--dw-muted); padding: 0 0 8px; }
.handoff { font: inherit; font-size: 11px; background: none; border: none; padding: 0; color: var(--dw-primary); text-decoration: underline; cursor: pointer; }
.handoff:disabled { color: var(--dw-muted); text-decoration: none; cursor: default; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0,0,0,0); border: 0; }
`;
