import { relations } from "drizzle-orm";
import { index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import type { MessageMetadata } from "@docent/contracts/json";
import { createdAt, id } from "./_columns";
import { conversations } from "./conversations";
import { messageRole } from "./enums";
import { messageCitations } from "./message-citations";

export const messages = pgTable(
  "messages",
  {
    id: id(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    role: messageRole().notNull(),
    /** Plain text as typed or generated; always rendered as text or sanitised Markdown. */
    content: text().notNull(),
    /** Model, tokens, latency, extractive flag: see `messageMetadataSchema`. */
    metadata: jsonb().$type<MessageMetadata>().default({}).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.conversationId, t.createdAt)],
);

export const messagesRelations = relations(messages, ({ one, many }) => ({
  conversation: one(conversations, {
    fields: [messages.conversationId],
    references: [conversations.id],
  }),
  citations: many(messageCitations),
}));
