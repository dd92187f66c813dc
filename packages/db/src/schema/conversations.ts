import { relations } from "drizzle-orm";
import { index, jsonb, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { apiKeys } from "./api-keys";
import { bots } from "./bots";
import { conversationChannel } from "./enums";
import { messages } from "./messages";
import { users } from "./users";

export const conversations = pgTable(
  "conversations",
  {
    id: id(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    channel: conversationChannel().notNull(),
    /** Anonymous widget visitor id, or the integrator's own session id for API chats. */
    visitorId: varchar({ length: 128 }),
    /** The signed-in admin, for playground chats. */
    userId: uuid().references(() => users.id, { onDelete: "set null" }),
    apiKeyId: uuid().references(() => apiKeys.id, { onDelete: "set null" }),
    title: varchar({ length: 255 }),
    /** Free-form context: page URL and user agent for widget chats. */
    metadata: jsonb().$type<Record<string, unknown>>().default({}).notNull(),
    startedAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
    lastMessageAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
    endedAt: timestamp({ withTimezone: true }),
    /** When the visitor asked for a person (widget handoff); the first request counts. */
    handoffRequestedAt: timestamp({ withTimezone: true }),
    /** The visitor's note with the request, if any. */
    handoffNote: varchar({ length: 1000 }),
    ...timestamps(),
  },
  (t) => [
    index().on(t.botId, t.startedAt.desc()),
    index().on(t.botId, t.channel),
    index().on(t.visitorId),
  ],
);

export const conversationsRelations = relations(conversations, ({ one, many }) => ({
  bot: one(bots, { fields: [conversations.botId], references: [bots.id] }),
  messages: many(messages),
}));
