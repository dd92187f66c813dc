/** The ingestion pipeline's stages, in order, with the words the admin app shows for them. */
export const stages = [
  { id: "queued", label: "Queued" },
  { id: "download", label: "Downloading" },
  { id: "extract", label: "Extracting text" },
  { id: "chunk", label: "Chunking" },
  { id: "embed", label: "Embedding" },
  { id: "store", label: "Storing" },
] as const;

export function stageLabel(stage: string | null | undefined): string {
  return stages.find((s) => s.id === stage)?.label ?? (stage ? stage[0]!.toUpperCase() + stage.slice(1) : "Queued");
}
