/**
 * Object keys are made here, by the server, from ids only: a client's file name never
 * reaches a path, so it cannot traverse directories or collide with another tenant.
 * Every stored version of a document gets a fresh uuid, so an old object can be deleted
 * after the new one is committed without a race.
 */
import { randomUUID } from "node:crypto";

export function documentStorageKey(workspaceId: string, botId: string, documentId: string): string {
  return `workspaces/${workspaceId}/bots/${botId}/documents/${documentId}/${randomUUID()}`;
}
