/**
 * Drag-and-drop multi-file upload. Each file gets its own row: the upload progress first,
 * then, once the API has accepted it, the document's live processing stage from the
 * status stream, until it is processed or failed.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, FileUp, UploadCloud, X, XCircle } from "lucide-react";
import { type DragEvent, useCallback, useRef, useState } from "react";
import { api } from "../../api/client";
import { useWorkspace } from "../../app/session";
import type { BotDocument } from "../../api/types";
import { bytes } from "../../lib/format";
import { Button } from "../../ui/button";
import { ProgressBar } from "../../ui/feedback";
import { stageLabel } from "./stages";
import { documentsKey } from "./use-document-stream";

interface UploadItem {
  key: string;
  file: File;
  phase: "waiting" | "uploading" | "uploaded" | "failed";
  fraction: number;
  error?: string;
  documentId?: string;
  controller: AbortController;
}

const PARALLEL_UPLOADS = 2;
let seq = 0;

export function UploadQueue({ botId, documents, disabled }: { botId: string; documents: BotDocument[] | undefined; disabled?: boolean }) {
  const queryClient = useQueryClient();
  const { workspaceId } = useWorkspace();
  // The size limit is the workspace plan's (the same query as the usage page).
  const usage = useQuery({ queryKey: ["usage", workspaceId], queryFn: () => api.workspaces.usage(workspaceId), enabled: !!workspaceId });
  const plan = usage.data?.plan;
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const active = useRef(0);
  const pending = useRef<UploadItem[]>([]);

  const patch = useCallback((key: string, change: Partial<UploadItem>) => {
    setItems((list) => list.map((i) => (i.key === key ? { ...i, ...change } : i)));
  }, []);

  const pump = useCallback(() => {
    while (active.current < PARALLEL_UPLOADS && pending.current.length > 0) {
      const item = pending.current.shift()!;
      active.current++;
      patch(item.key, { phase: "uploading" });
      api.documents
        .upload(botId, item.file, (fraction) => patch(item.key, { fraction }), item.controller.signal)
        .then(async (doc) => {
          patch(item.key, { phase: "uploaded", fraction: 1, ...(doc?.id ? { documentId: doc.id } : {}) });
          await queryClient.invalidateQueries({ queryKey: documentsKey(botId) });
        })
        .catch((error: Error) => {
          if (error.name === "AbortError") return;
          patch(item.key, { phase: "failed", error: error.message });
        })
        .finally(() => {
          active.current--;
          pump();
        });
    }
  }, [botId, patch, queryClient]);

  const addFiles = useCallback(
    (files: FileList | File[]) => {
      const next = Array.from(files).map<UploadItem>((file) => ({ key: `u${++seq}`, file, phase: "waiting", fraction: 0, controller: new AbortController() }));
      if (next.length === 0) return;
      setItems((list) => [...next, ...list]);
      pending.current.push(...next);
      pump();
    },
    [pump],
  );

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!disabled && e.dataTransfer.files.length) addFiles(e.dataTransfer.files);
  };

  const remove = (item: UploadItem) => {
    item.controller.abort();
    pending.current = pending.current.filter((p) => p.key !== item.key);
    setItems((list) => list.filter((i) => i.key !== item.key));
  };
  const finished = items.filter((i) => {
    const doc = documents?.find((d) => d.id === i.documentId);
    return i.phase === "failed" || doc?.status === "PROCESSED" || doc?.status === "FAILED";
  });

  return (
    <div className="stack">
      <div
        className={`dropzone ${dragging ? "dragging" : ""} ${disabled ? "disabled" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          if (!disabled) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <UploadCloud aria-hidden="true" className="dropzone-icon" />
        <div>
          <strong>Drop files here</strong> or{" "}
          <button type="button" className="linklike" onClick={() => inputRef.current?.click()} disabled={disabled}>
            choose files
          </button>
        </div>
        <div className="small muted" data-testid="upload-hint">
          PDF, DOCX, HTML, Markdown, text, CSV or JSON{plan && plan.maxFileSizeMb !== null ? ` · up to ${plan.maxFileSizeMb} MB each (${plan.name} plan)` : ""}
        </div>
        <input
          ref={inputRef}
          type="file"
          multiple
          className="sr-only"
          aria-label="Upload documents"
          tabIndex={-1}
          accept=".pdf,.docx,.html,.htm,.md,.markdown,.txt,.csv,.json,application/pdf,text/*,application/json"
          onChange={(e) => {
            if (e.target.files) addFiles(e.target.files);
            e.target.value = "";
          }}
        />
      </div>
      {items.length > 0 && (
        <div className="upload-list" aria-label="Uploads">
          <div className="row">
            <span className="label">Uploads</span>
            <span className="spacer" />
            {finished.length > 0 && (
              <Button size="sm" variant="ghost" onClick={() => setItems((l) => l.filter((i) => !finished.includes(i)))}>
                Clear finished
              </Button>
            )}
          </div>
          <ul>
            {items.map((item) => (
              <UploadRow key={item.key} item={item} doc={documents?.find((d) => d.id === item.documentId)} onRemove={() => remove(item)} />
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function UploadRow({ item, doc, onRemove }: { item: UploadItem; doc: BotDocument | undefined; onRemove(): void }) {
  let status: React.ReactNode;
  let bar: React.ReactNode;
  if (item.phase === "failed") {
    status = <span className="text-danger">{item.error}</span>;
    bar = <ProgressBar value={100} tone="danger" label={`${item.file.name}: upload failed`} />;
  } else if (item.phase === "waiting" || item.phase === "uploading") {
    const pct = Math.round(item.fraction * 100);
    status = item.phase === "waiting" ? "Waiting…" : `Uploading… ${pct}%`;
    bar = <ProgressBar value={pct} label={`${item.file.name}: uploading`} />;
  } else if (!doc || doc.status === "PENDING") {
    status = "Uploaded · queued for processing";
    bar = <ProgressBar value={0} indeterminate label={`${item.file.name}: queued`} />;
  } else if (doc.status === "PROCESSING") {
    status = `${stageLabel(doc.stage)}… ${doc.progress}%`;
    bar = <ProgressBar value={doc.progress} label={`${item.file.name}: processing`} />;
  } else if (doc.status === "PROCESSED") {
    status = (
      <span className="text-success">
        Processed · {doc.chunkCount} chunks
      </span>
    );
    bar = <ProgressBar value={100} tone="success" label={`${item.file.name}: processed`} />;
  } else {
    status = <span className="text-danger">{doc.errorMessage || "Processing failed"}</span>;
    bar = <ProgressBar value={100} tone="danger" label={`${item.file.name}: failed`} />;
  }
  const icon = item.phase === "failed" || doc?.status === "FAILED" ? <XCircle className="text-danger" /> : doc?.status === "PROCESSED" ? <CheckCircle2 className="text-success" /> : <FileUp />;
  return (
    <li className="upload-row" data-upload={item.file.name} data-doc-status={doc?.status ?? item.phase}>
      <span className="upload-icon" aria-hidden="true">
        {icon}
      </span>
      <div className="stack" style={{ gap: 4, flex: 1, minWidth: 0 }}>
        <div className="row">
          <strong className="truncate">{item.file.name}</strong>
          <span className="small subtle">{bytes(item.file.size)}</span>
          <span className="spacer" />
          <span className="small muted" aria-live="polite">
            {status}
          </span>
        </div>
        {bar}
      </div>
      <button type="button" className="btn ghost icon sm" aria-label={`Remove ${item.file.name} from the list`} onClick={onRemove}>
        <X aria-hidden="true" />
      </button>
    </li>
  );
}
