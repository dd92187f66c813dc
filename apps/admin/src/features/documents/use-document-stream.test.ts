import { describe, expect, it } from "vitest";
import type { BotDocument } from "../../api/types";
import { applyStatusEvent } from "./use-document-stream";

const doc = (id: string, extra: Partial<BotDocument> = {}): BotDocument => ({
  id,
  botId: "bot",
  name: `${id}.pdf`,
  sourceType: "FILE_UPLOAD",
  mimeType: "application/pdf",
  sizeBytes: 1,
  sourceUrl: null,
  contentHash: "h",
  status: "PENDING",
  stage: null,
  progress: 0,
  chunkCount: 0,
  errorMessage: null,
  version: 1,
  metadata: {},
  processedAt: null,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  ...extra,
});

describe("applyStatusEvent", () => {
  it("moves one document through its stages without touching the others", () => {
    const list = [doc("a"), doc("b")];
    const next = applyStatusEvent(list, { documentId: "a", status: "PROCESSING", stage: "embed", progress: 60, chunkCount: 0, errorMessage: null })!;
    expect(next[0]).toMatchObject({ status: "PROCESSING", stage: "embed", progress: 60 });
    expect(next[1]).toBe(list[1]);
    const done = applyStatusEvent(next, { documentId: "a", status: "PROCESSED", stage: null, progress: 100, chunkCount: 12, errorMessage: null })!;
    expect(done[0]).toMatchObject({ status: "PROCESSED", chunkCount: 12 });
  });

  it("keeps the failure reason and removes deleted documents", () => {
    const failed = applyStatusEvent([doc("a")], { documentId: "a", status: "FAILED", errorMessage: "The PDF is encrypted" })!;
    expect(failed[0]).toMatchObject({ status: "FAILED", errorMessage: "The PDF is encrypted" });
    expect(applyStatusEvent(failed, { documentId: "a", status: "DELETED" })).toEqual([]);
  });
});
