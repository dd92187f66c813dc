/**
 * Adds a document below HTTP, from the pieces the API's documents service is made of: the
 * original under a server-made key, the PENDING row, its ingest job. No plan limits and no
 * upload checks: the benches add known-good texts and files.
 */
import { randomUUID } from "node:crypto";
import type { Database } from "@docent/db/client";
import { getBotContext, insertDocument, type NewDocumentRow } from "@docent/db/queries/documents";
import { enqueueIngest, type IngestQueue } from "@docent/queue/producer";
import { documentStorageKey, type ObjectStorage } from "@docent/storage";

export async function queueDocument(
  deps: { db: Database; storage: ObjectStorage; queue: IngestQueue },
  input: { botId: string; name: string; bytes: Buffer; sourceType: NewDocumentRow["sourceType"]; mimeType: string },
): Promise<string> {
  const bot = await getBotContext(deps.db, input.botId);
  if (!bot) throw new Error(`no bot ${input.botId}`);
  const id = randomUUID();
  const storageKey = documentStorageKey(bot.workspaceId, bot.id, id);
  await deps.storage.put(storageKey, input.bytes, { contentType: "application/octet-stream" });
  const row = await insertDocument(deps.db, {
    id,
    botId: bot.id,
    name: input.name,
    sourceType: input.sourceType,
    mimeType: input.mimeType,
    sizeBytes: input.bytes.length,
    storageKey,
    status: "PENDING",
    stage: "queued",
  });
  await enqueueIngest(deps.queue, { documentId: id, botId: bot.id, workspaceId: bot.workspaceId, version: row.version });
  return id;
}
