import { relations, sql } from "drizzle-orm";
import { boolean, check, integer, jsonb, pgTable, text, uuid, varchar } from "drizzle-orm/pg-core";
import type { MetadataFilter } from "@docent/contracts/metadata";
import { timestamps } from "./_columns";
import { bots } from "./bots";
import { widgetPosition, widgetTheme } from "./enums";

/** Appearance of a bot's embeddable chat widget; one row per bot. */
export const widgetConfigurations = pgTable(
  "widget_configurations",
  {
    botId: uuid()
      .primaryKey()
      .references(() => bots.id, { onDelete: "cascade" }),
    headerText: varchar({ length: 100 }).default("Chat Assistant").notNull(),
    initialGreeting: varchar({ length: 500 }).default("Hello! How can I help you today?").notNull(),
    inputPlaceholder: varchar({ length: 120 }).default("Ask a question...").notNull(),
    primaryColor: varchar({ length: 7 }).default("#2563eb").notNull(),
    textColor: varchar({ length: 7 }).default("#ffffff").notNull(),
    backgroundColor: varchar({ length: 7 }).default("#ffffff").notNull(),
    position: widgetPosition().default("bottom-right").notNull(),
    theme: widgetTheme().default("light").notNull(),
    /** Panel size in CSS pixels. */
    width: integer().default(380).notNull(),
    height: integer().default(560).notNull(),
    showSources: boolean().default(true).notNull(),
    /** Offer visitors 1-5 stars (and a comment) under answers, besides thumbs. */
    offerStars: boolean().default(false).notNull(),
    avatarUrl: text(),
    /**
     * A fixed metadata filter (`metadataFilterSchema`) over the documents the widget's
     * answers may use: ANDed with nothing else, never set by visitors. Null: every document.
     */
    metadataFilter: jsonb().$type<MetadataFilter>(),
    /** Offers visitors a "talk to a person" button; a click records it and sends `handoff.requested`. */
    handoffEnabled: boolean().default(false).notNull(),
    ...timestamps(),
  },
  (t) => [
    check("widget_primary_color_hex", sql`${t.primaryColor} ~ '^#[0-9a-fA-F]{6}$'`),
    check("widget_text_color_hex", sql`${t.textColor} ~ '^#[0-9a-fA-F]{6}$'`),
    check("widget_background_color_hex", sql`${t.backgroundColor} ~ '^#[0-9a-fA-F]{6}$'`),
    check("widget_size_bounds", sql`${t.width} between 280 and 800 and ${t.height} between 360 and 1000`),
  ],
);

export const widgetConfigurationsRelations = relations(widgetConfigurations, ({ one }) => ({
  bot: one(bots, { fields: [widgetConfigurations.botId], references: [bots.id] }),
}));
