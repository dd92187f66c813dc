import type { PublicWidgetConfigDto } from "@docent/contracts/chat";

/**
 * The widget's appearance, as served by `GET /v1/widget/:publicId/config` (the contract's
 * shape; only the type is imported, so zod stays out of the bundle), with safe defaults.
 */
export type WidgetConfig = PublicWidgetConfigDto;

export const defaultWidgetConfig: WidgetConfig = {
  botName: "Assistant",
  headerText: "Chat Assistant",
  initialGreeting: "Hello! How can I help you today?",
  inputPlaceholder: "Ask a question...",
  primaryColor: "#2563eb",
  textColor: "#ffffff",
  backgroundColor: "#ffffff",
  position: "bottom-right",
  theme: "light",
  width: 380,
  height: 560,
  showSources: true,
  offerStars: false,
  handoffEnabled: false,
  avatarUrl: null,
};

const HEX = /^#[0-9a-fA-F]{6}$/;
const clamp = (n: unknown, lo: number, hi: number, fallback: number) =>
  typeof n === "number" && Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : fallback;
const text = (v: unknown, fallback: string, max: number) =>
  typeof v === "string" && v.trim() ? v.slice(0, max) : fallback;

/**
 * Validates whatever the server (or the admin preview) sent: colours must be hex so they
 * can go into CSS safely, texts are bounded, unknown values fall back to the defaults.
 */
export function resolveConfig(raw: unknown, base: WidgetConfig = defaultWidgetConfig): WidgetConfig {
  const src = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const nested = (src.widget && typeof src.widget === "object" ? src.widget : src) as Record<string, unknown>;
  const color = (v: unknown, fallback: string) => (typeof v === "string" && HEX.test(v) ? v : fallback);
  const avatar = nested.avatarUrl;
  return {
    botName: text(src.botName ?? src.name ?? nested.botName, base.botName, 120),
    headerText: text(nested.headerText, base.headerText, 100),
    initialGreeting: typeof nested.initialGreeting === "string" ? nested.initialGreeting.slice(0, 500) : base.initialGreeting,
    inputPlaceholder: text(nested.inputPlaceholder, base.inputPlaceholder, 120),
    primaryColor: color(nested.primaryColor, base.primaryColor),
    textColor: color(nested.textColor, base.textColor),
    backgroundColor: color(nested.backgroundColor, base.backgroundColor),
    position: nested.position === "bottom-left" || nested.position === "bottom-right" ? nested.position : base.position,
    theme: nested.theme === "dark" || nested.theme === "auto" || nested.theme === "light" ? nested.theme : base.theme,
    width: clamp(nested.width, 280, 800, base.width),
    height: clamp(nested.height, 360, 1000, base.height),
    showSources: typeof nested.showSources === "boolean" ? nested.showSources : base.showSources,
    offerStars: typeof nested.offerStars === "boolean" ? nested.offerStars : base.offerStars,
    handoffEnabled: typeof nested.handoffEnabled === "boolean" ? nested.handoffEnabled : base.handoffEnabled,
    avatarUrl: typeof avatar === "string" && /^https:\/\//.test(avatar) ? avatar : avatar === null ? null : base.avatarUrl,
  };
}
