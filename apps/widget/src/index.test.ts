import { afterEach, describe, expect, it, vi } from "vitest";

const mountWidget = vi.hoisted(() => vi.fn());
vi.mock("@docent/widget-kit/mount", () => ({ mountWidget }));

/** Runs the bundle's entry as the browser would, with `script` as the tag that loaded it. */
async function loadFrom(script: HTMLScriptElement | null): Promise<void> {
  Object.defineProperty(document, "currentScript", { configurable: true, get: () => script });
  vi.resetModules();
  await import("./index");
}

function scriptTag(attributes: Record<string, string>): HTMLScriptElement {
  const script = document.createElement("script");
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  return script;
}

afterEach(() => {
  Reflect.deleteProperty(document, "currentScript");
  mountWidget.mockReset();
  vi.restoreAllMocks();
});

describe("the <script data-bot> loader", () => {
  it("mounts the bot it names, talking to the chat service next to the script", async () => {
    await loadFrom(scriptTag({ src: "https://docent.example.com/widget.js", "data-bot": "pub_1" }));
    expect(mountWidget).toHaveBeenCalledExactlyOnceWith({ publicId: "pub_1", apiBase: "https://docent.example.com/chat", startOpen: false });
  });

  it("uses data-api as the chat service and data-open to start open", async () => {
    await loadFrom(scriptTag({ src: "https://cdn.example.net/widget.js", "data-bot": "pub_2", "data-api": "https://chat.example.com/v1", "data-open": "true" }));
    expect(mountWidget).toHaveBeenCalledExactlyOnceWith({ publicId: "pub_2", apiBase: "https://chat.example.com/v1", startOpen: true });
  });

  it("mounts nothing and says why when the tag has no data-bot", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await loadFrom(scriptTag({ src: "https://docent.example.com/widget.js" }));
    expect(mountWidget).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("data-bot"));
  });
});
