import { describe, expect, it } from "vitest";
import { defaultWidgetSettings, widgetResolver } from "./widget-page";

const judge = async (changes: Partial<typeof defaultWidgetSettings>) => {
  const { errors } = await widgetResolver({ ...defaultWidgetSettings, ...changes }, undefined, { fields: {}, shouldUseNativeValidation: false });
  return Object.fromEntries(Object.entries(errors).map(([field, error]) => [field, (error as { message?: string }).message]));
};

describe("the widget appearance form (the API's widget schema)", () => {
  it("accepts the widget's own defaults", async () => expect(await judge({})).toEqual({}));

  it("marks a colour that is not #rrggbb and an empty header, in words", async () => {
    expect(await judge({ primaryColor: "#e11d4", backgroundColor: "red", headerText: "   " })).toEqual({
      primaryColor: "must be a hex colour like #2563eb",
      backgroundColor: "must be a hex colour like #2563eb",
      headerText: "Required.",
    });
  });
});
