import { describe, expect, it } from "vitest";
import { defaultWidgetConfig, resolveConfig } from "./config";

describe("resolveConfig", () => {
  it("keeps valid values from the server", () => {
    const c = resolveConfig({ botName: "Zephyr", primaryColor: "#e11d48", position: "bottom-left", theme: "dark", width: 420, showSources: false });
    expect(c).toMatchObject({ botName: "Zephyr", primaryColor: "#e11d48", position: "bottom-left", theme: "dark", width: 420, showSources: false });
  });

  it("refuses colours that are not hex, so nothing can be injected into the stylesheet", () => {
    const c = resolveConfig({ primaryColor: "red; background: url(https://evil)", textColor: "#fff" });
    expect(c.primaryColor).toBe(defaultWidgetConfig.primaryColor);
    expect(c.textColor).toBe(defaultWidgetConfig.textColor);
  });

  it("clamps sizes and accepts only https avatars", () => {
    const c = resolveConfig({ width: 5000, height: 10, avatarUrl: "javascript:alert(1)" });
    expect(c.width).toBe(800);
    expect(c.height).toBe(360);
    expect(c.avatarUrl).toBeNull();
  });
});
