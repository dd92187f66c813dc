import { relations } from "drizzle-orm";
import { index, jsonb, pgTable, text, varchar } from "drizzle-orm/pg-core";
import { type RagConfig, defaultRagConfig } from "@docent/contracts/json";
import { id, timestamps } from "./_columns";
import { bots } from "./bots";

/** Starting points for a new bot: default RAG config, a sample prompt and sample queries. */
export const templates = pgTable(
  "templates",
  {
    id: id(),
    slug: varchar({ length: 64 }).notNull().unique(),
    name: varchar({ length: 255 }).notNull().unique(),
    description: text(),
    category: varchar({ length: 100 }),
    defaultRagConfig: jsonb().$type<RagConfig>().default(defaultRagConfig).notNull(),
    sampleSystemPrompt: text(),
    sampleQueries: jsonb().$type<string[]>().default([]).notNull(),
    iconUrl: text(),
    ...timestamps(),
  },
  (t) => [index().on(t.category)],
);

export const templatesRelations = relations(templates, ({ many }) => ({
  bots: many(bots),
}));
