/**
 * Webhook endpoints and the delivery outbox. Every read and write of an endpoint is
 * scoped to its workspace; the worker's claim/settle functions work by delivery id (the
 * id came from a row this module wrote).
 */
import { randomUUID } from "node:crypto";
import { and, arrayContains, count, desc, eq, lte, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { webhookDeliveries, webhookEndpoints } from "../schema";

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type DeliveryStatus = WebhookDelivery["status"];

export async function insertWebhookEndpoint(
  db: Executor,
  input: {
    id: string;
    workspaceId: string;
    createdBy: string | null;
    url: string;
    description: string;
    eventTypes: string[];
    enabled: boolean;
    secretCiphertext: string;
    secretHint: string;
  },
): Promise<WebhookEndpoint> {
  const [row] = await db.insert(webhookEndpoints).values(input).returning();
  return row!;
}

export async function listWebhookEndpoints(db: Executor, workspaceId: string): Promise<WebhookEndpoint[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.workspaceId, workspaceId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
}

export async function getWebhookEndpoint(db: Executor, workspaceId: string, endpointId: string): Promise<WebhookEndpoint | undefined> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, endpointId)));
  return row;
}

export async function updateWebhookEndpoint(
  db: Executor,
  workspaceId: string,
  endpointId: string,
  patch: Partial<Pick<WebhookEndpoint, "url" | "description" | "eventTypes" | "enabled" | "secretCiphertext" | "secretHint">>,
): Promise<WebhookEndpoint | undefined> {
  const [row] = await db
    .update(webhookEndpoints)
    .set(patch)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, endpointId)))
    .returning();
  return row;
}

export async function deleteWebhookEndpoint(db: Executor, workspaceId: string, endpointId: string): Promise<boolean> {
  const rows = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, endpointId)))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

/**
 * Writes the outbox rows of one event: one delivery per enabled endpoint of the workspace
 * subscribed to `type` (or only `endpointId`, enabled or not, for a test event), in one
 * statement. Returns the new deliveries' ids (none when nobody listens).
 */
export async function recordWebhookEvent(
  db: Executor,
  event: { workspaceId: string; type: string; data: Record<string, unknown>; endpointId?: string; at?: Date },
): Promise<{ eventId: string; deliveryIds: string[] }> {
  const eventId = randomUUID();
  const createdAt = (event.at ?? new Date()).toISOString();
  const payload = { id: eventId, type: event.type, createdAt, workspaceId: event.workspaceId, data: event.data };
  const filter = event.endpointId
    ? eq(webhookEndpoints.id, event.endpointId)
    : and(eq(webhookEndpoints.enabled, true), arrayContains(webhookEndpoints.eventTypes, [event.type]));
  const rows = await db.execute<{ id: string }>(sql`
    insert into ${webhookDeliveries} (endpoint_id, workspace_id, event_id, event_type, payload)
    select ${webhookEndpoints.id}, ${webhookEndpoints.workspaceId}, ${eventId}, ${event.type}, ${JSON.stringify(payload)}::jsonb
    from ${webhookEndpoints}
    where ${webhookEndpoints.workspaceId} = ${event.workspaceId} and ${filter}
    returning id`);
  return { eventId, deliveryIds: rows.map((r) => r.id) };
}

export async function listWebhookDeliveries(
  db: Executor,
  params: { workspaceId: string; endpointId: string; limit: number; offset: number; status?: DeliveryStatus },
): Promise<{ items: WebhookDelivery[]; total: number }> {
  const where = and(
    eq(webhookDeliveries.workspaceId, params.workspaceId),
    eq(webhookDeliveries.endpointId, params.endpointId),
    params.status ? eq(webhookDeliveries.status, params.status) : undefined,
  );
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(webhookDeliveries)
      .where(where)
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(params.limit)
      .offset(params.offset),
    db.select({ n: count() }).from(webhookDeliveries).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function getWebhookDelivery(
  db: Executor,
  params: { workspaceId: string; endpointId: string; deliveryId: string },
): Promise<WebhookDelivery | undefined> {
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.workspaceId, params.workspaceId),
        eq(webhookDeliveries.endpointId, params.endpointId),
        eq(webhookDeliveries.id, params.deliveryId),
      ),
    );
  return row;
}

/** A new delivery of the same event (same event id and body) to the same endpoint. */
export async function copyWebhookDelivery(db: Executor, original: WebhookDelivery): Promise<WebhookDelivery> {
  const [row] = await db
    .insert(webhookDeliveries)
    .values({
      endpointId: original.endpointId,
      workspaceId: original.workspaceId,
      eventId: original.eventId,
      eventType: original.eventType,
      payload: original.payload,
    })
    .returning();
  return row!;
}

/** A claimed delivery with what sending it needs. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  endpoint: Pick<WebhookEndpoint, "id" | "workspaceId" | "url" | "enabled" | "secretCiphertext">;
}

/**
 * Takes a due PENDING delivery for one attempt: counts the attempt and moves its
 * `nextAttemptAt` to the end of a lease, so a duplicate job (or the sweeper) cannot send
 * it at the same time, while a worker that dies mid-attempt leaves it to the sweeper once
 * the lease ends. Undefined when it is not due, already settled, or claimed elsewhere.
 */
export async function claimWebhookDelivery(db: Executor, deliveryId: string, leaseMs: number): Promise<ClaimedDelivery | undefined> {
  const [delivery] = await db
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      lastAttemptAt: sql`now()`,
      nextAttemptAt: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
    })
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        eq(webhookDeliveries.status, "PENDING"),
        lte(webhookDeliveries.nextAttemptAt, sql`now()`),
      ),
    )
    .returning();
  if (!delivery) return undefined;
  const [endpoint] = await db
    .select({
      id: webhookEndpoints.id,
      workspaceId: webhookEndpoints.workspaceId,
      url: webhookEndpoints.url,
      enabled: webhookEndpoints.enabled,
      secretCiphertext: webhookEndpoints.secretCiphertext,
    })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, delivery.endpointId));
  return endpoint ? { delivery, endpoint } : undefined;
}

/** The outcome of one attempt: settled (SUCCEEDED/FAILED) or PENDING again at `nextAttemptAt`. */
export async function settleWebhookDelivery(
  db: Executor,
  deliveryId: string,
  outcome: {
    status: DeliveryStatus;
    nextAttemptAt: Date | null;
    responseStatus: number | null;
    responseExcerpt: string | null;
    lastError: string | null;
    durationMs: number;
  },
): Promise<void> {
  await db.update(webhookDeliveries).set(outcome).where(eq(webhookDeliveries.id, deliveryId));
}

/** PENDING deliveries due before `dueBefore` (a job that should have sent them was lost), oldest first. */
export async function findStrandedDeliveries(db: Executor, params: { dueBefore: Date; limit: number }): Promise<{ id: string; nextAttemptAt: Date | null }[]> {
  return db
    .select({ id: webhookDeliveries.id, nextAttemptAt: webhookDeliveries.nextAttemptAt })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, "PENDING"), lte(webhookDeliveries.nextAttemptAt, params.dueBefore)))
    .orderBy(webhookDeliveries.nextAttemptAt)
    .limit(params.limit);
}
