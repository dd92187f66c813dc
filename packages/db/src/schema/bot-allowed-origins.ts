import { relations } from "drizzle-orm";
import { pgTable, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id } from "./_columns";
import { bots } from "./bots";

/**
 * Sites allowed to embed a bot's widget. `origin` is normalised to scheme://host[:port];
 * the only wildcard form is "https://*.example.com". An empty list allows no site.
 */
export const botAllowedOrigins = pgTable(
  "bot_allowed_origins",
  {
    id: id(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    origin: varchar({ length: 300 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.botId, t.origin)],
);

export const botAllowedOriginsRelations = relations(botAllowedOrigins, ({ one }) => ({
  bot: one(bots, { fields: [botAllowedOrigins.botId], references: [bots.id] }),
}));
