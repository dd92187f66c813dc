/**
 * The bot settings behind issue #17's ratings and curated answers, through the API: the
 * curated-answer threshold (modelSettings.curatedThreshold, 0-1) and the widget's
 * "offer stars" switch. Out-of-range values are a 400 naming the field, and nothing changes.
 */
import { DEFAULT_CURATED_THRESHOLD } from "@docent/contracts/json";
import { describe, expect, it } from "vitest";
import { createTestApi, errorBody, signUp } from "./testing/harness";

const { app } = await createTestApi();
const owner = await signUp(app, "curated-settings");
const ws = `/v1/workspaces/${owner.workspaceId}`;
const bot = (await owner.request("POST", `${ws}/bots`, { name: "Bot" })).json();

describe("curated answer threshold", () => {
  it("defaults, takes a value in 0-1, and refuses one outside with the field named", async () => {
    expect(bot.modelSettings.curatedThreshold).toBe(DEFAULT_CURATED_THRESHOLD);
    const set = await owner.request("PATCH", `${ws}/bots/${bot.id}`, { modelSettings: { curatedThreshold: 0.82 } });
    expect(set.statusCode).toBe(200);
    expect(set.json().modelSettings).toMatchObject({ curatedThreshold: 0.82, strict: true });
    for (const value of [1.2, -0.1, "high"]) {
      const res = await owner.request("PATCH", `${ws}/bots/${bot.id}`, { modelSettings: { curatedThreshold: value } });
      expect(res.statusCode, String(value)).toBe(400);
      expect(errorBody(res).details?.issues?.map((i) => i.path)).toContain("body.modelSettings.curatedThreshold");
    }
    const after = await owner.request("GET", `${ws}/bots/${bot.id}`);
    expect(after.json().modelSettings.curatedThreshold).toBe(0.82);
  });
});

describe("widget stars", () => {
  it("is off by default and can be turned on", async () => {
    const widget = await owner.request("GET", `${ws}/bots/${bot.id}/widget`);
    expect(widget.json().offerStars).toBe(false);
    const on = await owner.request("PATCH", `${ws}/bots/${bot.id}/widget`, { offerStars: true });
    expect(on.statusCode).toBe(200);
    expect(on.json().offerStars).toBe(true);
    const bad = await owner.request("PATCH", `${ws}/bots/${bot.id}/widget`, { offerStars: "yes" });
    expect(bad.statusCode).toBe(400);
    expect(errorBody(bad).details?.issues?.map((i) => i.path)).toContain("body.offerStars");
  });
});
