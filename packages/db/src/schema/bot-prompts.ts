import { relations, sql } from "drizzle-orm";
import {
  boolean,
  integer,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { bots } from "./bots";
import { users } from "./users";

/** Versioned system prompts; exactly one is active per bot (the partial unique index). */
export const botPrompts = pgTable(
  "bot_prompts",
  {
    id: id(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    /** 1, 2, 3... per bot, assigned at creation. */
    version: integer().notNull(),
    name: varchar({ length: 255 }).notNull(),
    content: text().notNull(),
    isActive: boolean().default(false).notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [
    unique().on(t.botId, t.version),
    uniqueIndex("bot_prompts_one_active_per_bot").on(t.botId).where(sql`${t.isActive}`),
  ],
);

export const botPromptsRelations = relations(botPrompts, ({ one }) => ({
  bot: one(bots, { fields: [botPrompts.botId], references: [bots.id], relationName: "bot_prompts" }),
}));
