/** Messages and their citations. */
import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import type { MessageMetadata } from "@docent/contracts/json";
import { conversations, messageCitations, messages } from "../schema";

export type Message = typeof messages.$inferSelect;

export async function insertMessage(
  db: Executor,
  input: {
    id?: string;
    conversationId: string;
    role: Message["role"];
    content: string;
    metadata?: MessageMetadata;
    /** Set when several messages are written in one transaction (now() is the transaction's start). */
    createdAt?: Date;
  },
): Promise<Message> {
  const [row] = await db
    .insert(messages)
    .values({ ...(input.id ? { id: input.id } : {}), ...(input.createdAt ? { createdAt: input.createdAt } : {}), conversationId: input.conversationId, role: input.role, content: input.content, metadata: input.metadata ?? {} })
    .returning();
  return row!;
}

/** The last `limit` user/assistant messages of a conversation, oldest first. */
export async function getRecentMessages(
  db: Executor,
  conversationId: string,
  limit: number,
): Promise<Pick<Message, "role" | "content">[]> {
  const rows = await db
    .select({ role: messages.role, content: messages.content })
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
  return rows.reverse();
}

export interface CitationInput {
  rank: number;
  chunkId: string;
  documentId: string;
  score: number;
  quote: string;
}

export async function insertCitations(db: Executor, messageId: string, citations: CitationInput[]): Promise<void> {
  if (citations.length === 0) return;
  await db.insert(messageCitations).values(citations.map((c) => ({ messageId, ...c })));
}

/** A message with the bot it belongs to, for authorisation by bot. */
export async function getMessageWithBot(
  db: Executor,
  messageId: string,
): Promise<{ message: Message; botId: string; channel: string; visitorId: string | null } | undefined> {
  const [row] = await db
    .select({ message: messages, botId: conversations.botId, channel: conversations.channel, visitorId: conversations.visitorId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, messageId)));
  return row;
}
