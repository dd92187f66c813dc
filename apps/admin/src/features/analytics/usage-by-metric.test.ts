import { describe, expect, it } from "vitest";
import { usageSeries } from "./usage-by-metric";

describe("usageSeries", () => {
  it("gives every day of the range a row, with each metric summed and missing ones zero", () => {
    const series = usageSeries({
      from: "2026-11-01",
      to: "2026-11-03",
      items: [
        { botId: "b", botName: "B", day: "2026-11-01", metric: "messages", value: 4 },
        { botId: "b", botName: "B", day: "2026-11-03", metric: "messages", value: 1 },
        { botId: "b", botName: "B", day: "2026-11-03", metric: "prompt_tokens", value: 250 },
      ],
    });
    expect(series.map((d) => d.day)).toEqual(["2026-11-01", "2026-11-02", "2026-11-03"]);
    expect(series.map((d) => d.messages)).toEqual([4, 0, 1]);
    expect(series[2]).toMatchObject({ prompt_tokens: 250, api_calls: 0, documents_embedded: 0 });
  });
});
