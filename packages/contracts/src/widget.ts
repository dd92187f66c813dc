/** Appearance of a bot's embeddable chat widget. */
import { z } from "zod";
import { timestamp, uuid } from "./common";
import { widgetPositions, widgetThemes } from "./enums";
import { metadataFilterSchema } from "./metadata";

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a hex colour like #2563eb");

export const widgetConfigSchema = z
  .object({
    botId: uuid,
    headerText: z.string(),
    initialGreeting: z.string(),
    inputPlaceholder: z.string(),
    primaryColor: z.string(),
    textColor: z.string(),
    backgroundColor: z.string(),
    position: z.enum(widgetPositions),
    theme: z.enum(widgetThemes),
    width: z.number().int(),
    height: z.number().int(),
    showSources: z.boolean(),
    offerStars: z.boolean().describe("Offer visitors 1-5 stars and a comment under answers, besides thumbs."),
    handoffEnabled: z.boolean().describe('Offers visitors a "talk to a person" button; a click sends the `handoff.requested` webhook.'),
    avatarUrl: z.string().nullable(),
    metadataFilter: metadataFilterSchema
      .nullable()
      .describe("Fixed filter: the widget answers only from documents whose metadata match; visitors cannot change it. Null: every document."),
    updatedAt: timestamp,
  })
  .describe("WidgetConfig");
export type WidgetConfigDto = z.infer<typeof widgetConfigSchema>;

export const updateWidgetBodySchema = z.strictObject({
  headerText: z.string().trim().min(1).max(100).optional(),
  initialGreeting: z.string().trim().min(1).max(500).optional(),
  inputPlaceholder: z.string().trim().min(1).max(120).optional(),
  primaryColor: hexColor.optional(),
  textColor: hexColor.optional(),
  backgroundColor: hexColor.optional(),
  position: z.enum(widgetPositions).optional(),
  theme: z.enum(widgetThemes).optional(),
  width: z.number().int().min(280).max(800).optional().describe("CSS pixels, 280-800."),
  height: z.number().int().min(360).max(1000).optional().describe("CSS pixels, 360-1000."),
  showSources: z.boolean().optional(),
  offerStars: z.boolean().optional(),
  handoffEnabled: z.boolean().optional(),
  avatarUrl: z.url({ protocol: /^https$/ }).max(2000).nullable().optional(),
  /** The widget's fixed metadata filter; null removes it. */
  metadataFilter: metadataFilterSchema.nullable().optional(),
});
