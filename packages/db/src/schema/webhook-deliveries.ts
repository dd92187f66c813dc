import { relations } from "drizzle-orm";
import { index, integer, jsonb, pgTable, smallint, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { id, timestamps } from "./_columns";
import { webhookEndpoints } from "./webhook-endpoints";
import { workspaces } from "./workspaces";

/**
 * The webhook outbox and delivery log: one row per (event, endpoint), written where the
 * event happens. The row is the source of truth; a BullMQ job is only the prompt to send
 * it, so a row whose job was lost (Redis down when the event happened) is found again by
 * the worker's sweeper (status PENDING and `nextAttemptAt` past).
 *
 * status: PENDING (to send, or to retry at `nextAttemptAt`), SUCCEEDED, FAILED (gave up:
 * a non-retryable answer, a refused address or the last attempt used).
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    endpointId: uuid()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** Same for every endpoint the event went to; receivers de-duplicate on it. */
    eventId: uuid().notNull(),
    eventType: varchar({ length: 64 }).notNull(),
    /** The whole JSON body sent: `{ id, type, createdAt, workspaceId, data }`. */
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    status: varchar({ length: 16 }).$type<"PENDING" | "SUCCEEDED" | "FAILED">().notNull().default("PENDING"),
    attempts: smallint().notNull().default(0),
    /** When the next attempt is due; while an attempt runs, the end of its lease. Null once settled. */
    nextAttemptAt: timestamp({ withTimezone: true }).defaultNow(),
    lastAttemptAt: timestamp({ withTimezone: true }),
    responseStatus: smallint(),
    /** The first 500 characters of the receiver's answer. */
    responseExcerpt: text(),
    /** Why the last attempt failed without an answer (timeout, refused address...). */
    lastError: text(),
    durationMs: integer(),
    ...timestamps(),
  },
  (t) => [index().on(t.endpointId, t.createdAt), index().on(t.status, t.nextAttemptAt), index().on(t.workspaceId, t.createdAt)],
);

export const webhookDeliveriesRelations = relations(webhookDeliveries, ({ one }) => ({
  endpoint: one(webhookEndpoints, { fields: [webhookDeliveries.endpointId], references: [webhookEndpoints.id] }),
}));
