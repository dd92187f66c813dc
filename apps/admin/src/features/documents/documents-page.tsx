/** A bot's knowledge: upload files, add URLs or text, watch processing, re-index, delete, download. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Download, FileText, Globe, Link2, RefreshCw, Tag, Trash2, Type } from "lucide-react";
import { type FormEvent, useState } from "react";
import { api } from "../../api/client";
import type { BotDocument } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { bytes, number, relativeTime } from "../../lib/format";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { EmptyState, ErrorMessage, ProgressBar } from "../../ui/feedback";
import { Field, Input, Textarea } from "../../ui/form";
import { Card } from "../../ui/layout";
import { QueryState } from "../../ui/query-state";
import { useToast } from "../../ui/toast";
import { DocumentStatusBadge } from "../bots/status";
import { METADATA_HINT, MetadataDialog } from "../metadata/metadata-dialog";
import { metadataSummary, parseMetadata } from "../metadata/metadata-json";
import { useBot } from "../bots/use-bot";
import { stageLabel } from "./stages";
import { UploadQueue } from "./upload-queue";
import { documentsKey, useDocuments } from "./use-document-stream";
import "./documents.css";

const sourceLabel: Record<BotDocument["sourceType"], string> = {
  FILE_UPLOAD: "File",
  URL: "Web page",
  MANUAL_TEXT: "Text",
  CSV_STRUCTURED: "CSV",
  JSON_STRUCTURED: "JSON",
  WEB_PAGE: "Website page",
};

export function DocumentsPage() {
  const { botId } = useBot();
  const { canManage } = useWorkspace();
  const docs = useDocuments(botId);
  const queryClient = useQueryClient();
  const notify = useToast();
  const [textOpen, setTextOpen] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<BotDocument | null>(null);
  const [editMetadata, setEditMetadata] = useState<BotDocument | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: documentsKey(botId) });

  // A row's re-index is confirmed on the row itself (its status turns to Pending at
  // once) and announced to screen readers, not by a toast: the toast corner sits over
  // the last rows of the table, often the very row it is about.
  const [announcement, setAnnouncement] = useState("");
  const reindex = useMutation({
    mutationFn: (doc: BotDocument) => api.documents.reindex(botId, doc.id),
    onSuccess: (_r, doc) => {
      queryClient.setQueryData<BotDocument[]>(documentsKey(botId), (list) =>
        list?.map((d) => (d.id === doc.id ? { ...d, status: "PENDING", progress: 0 } : d)),
      );
      setAnnouncement(`Re-indexing “${doc.name}”`);
      void refresh();
    },
    onError: (e: Error) => notify(e.message, "error"),
  });
  const reindexAll = useMutation({
    mutationFn: () => api.documents.reindexAll(botId),
    onSuccess: () => {
      notify("Re-indexing all documents", "success");
      void refresh();
    },
    onError: (e: Error) => notify(e.message, "error"),
  });
  const remove = useMutation({
    mutationFn: (doc: BotDocument) => api.documents.remove(botId, doc.id),
    onSuccess: (_r, doc) => {
      notify(`Deleted “${doc.name}”`, "success");
      setConfirmDelete(null);
      void refresh();
    },
  });

  const list = docs.data ?? [];
  const totalChunks = list.reduce((n, d) => n + (d.chunkCount ?? 0), 0);
  return (
    <div className="stack lg">
      <div className="sr-only" role="status" aria-live="polite" data-testid="documents-announcement">
        {announcement}
      </div>
      {canManage && (
        <div className="grid-2" style={{ gridTemplateColumns: "minmax(0, 3fr) minmax(0, 2fr)" }}>
          <UploadQueue botId={botId} documents={docs.data} />
          <Card title="Add from the web or text">
            <div className="stack">
              <AddUrlForm botId={botId} onAdded={refresh} />
              <div className="row small muted">
                or
                <Button size="sm" icon={<Type aria-hidden="true" />} onClick={() => setTextOpen(true)}>
                  Paste text
                </Button>
              </div>
            </div>
          </Card>
        </div>
      )}
      <Card
        padded={false}
        title={
          <span className="row">
            Documents <span className="small muted">{list.length > 0 ? `${list.length} · ${number(totalChunks)} chunks` : ""}</span>
          </span>
        }
        actions={
          <div className="row">
            <span className={`live-dot ${docs.streaming ? "on" : ""}`} title={docs.streaming ? "Live updates on" : "Live updates reconnecting"}>
              <span className="sr-only">{docs.streaming ? "Live updates on" : "Live updates reconnecting"}</span>
            </span>
            {canManage && list.length > 0 && (
              <Button size="sm" icon={<RefreshCw aria-hidden="true" />} onClick={() => reindexAll.mutate()} loading={reindexAll.isPending}>
                Re-index all
              </Button>
            )}
          </div>
        }
      >
        <QueryState
          query={docs}
          errorTitle="Could not load documents"
          rows={4}
          empty={
            <EmptyState icon={<FileText aria-hidden="true" />} title="No documents yet">
              Upload files, add a web page or paste text. The bot answers only from what you add here.
            </EmptyState>
          }
        >
          {() => (
            <div className="table-wrap">
              <table className="table" aria-label="Documents">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">Chunks</th>
                    <th scope="col">Size</th>
                    <th scope="col">Updated</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((doc) => (
                    <tr key={doc.id} data-document={doc.name}>
                      <td>
                        <div className="doc-name">
                          <span className="upload-icon" aria-hidden="true">
                            {doc.sourceType === "URL" || doc.sourceType === "WEB_PAGE" ? <Globe /> : <FileText />}
                          </span>
                          <div className="stack" style={{ gap: 0, minWidth: 0 }}>
                            <span className="truncate" style={{ fontWeight: 550 }}>
                              {doc.name}
                            </span>
                            <span className="small subtle">{(doc.sourceType === "URL" || doc.sourceType === "WEB_PAGE") && doc.sourceUrl ? doc.sourceUrl : sourceLabel[doc.sourceType] ?? doc.sourceType}</span>
                            {doc.status === "FAILED" && doc.errorMessage && <span className="doc-error">{doc.errorMessage}</span>}
                            {metadataSummary(doc.metadata) && (
                              <span className="small muted truncate" data-testid="document-metadata" title={metadataSummary(doc.metadata)}>
                                {metadataSummary(doc.metadata)}
                              </span>
                            )}
                          </div>
                        </div>
                      </td>
                      <td>
                        {doc.status === "PROCESSING" ? (
                          <div className="doc-progress stack" style={{ gap: 4 }}>
                            <span className="small muted">
                              {stageLabel(doc.stage)} · {doc.progress}%
                            </span>
                            <ProgressBar value={doc.progress} label={`${doc.name}: processing`} />
                          </div>
                        ) : (
                          <DocumentStatusBadge status={doc.status} />
                        )}
                      </td>
                      <td>{doc.status === "PROCESSED" ? number(doc.chunkCount) : "—"}</td>
                      <td className="muted">{bytes(doc.sizeBytes)}</td>
                      <td className="muted">{relativeTime(doc.updatedAt ?? doc.createdAt)}</td>
                      <td>
                        <div className="row" style={{ justifyContent: "flex-end", gap: 2 }}>
                          {doc.sourceType !== "MANUAL_TEXT" && doc.sourceType !== "URL" && (
                            <a className="btn ghost icon sm" href={api.documents.downloadUrl(botId, doc.id)} aria-label={`Download ${doc.name}`} title="Download original" download>
                              <Download aria-hidden="true" />
                            </a>
                          )}
                          {canManage && (
                            <>
                              <Button
                                size="sm"
                                variant="ghost"
                                iconOnly
                                aria-label={`Edit metadata of ${doc.name}`}
                                title="Metadata"
                                icon={<Tag aria-hidden="true" />}
                                onClick={() => setEditMetadata(doc)}
                              />
                              <Button
                                size="sm"
                                variant="ghost"
                                iconOnly={doc.status !== "FAILED"}
                                aria-label={`${doc.status === "FAILED" ? "Retry" : "Re-index"} ${doc.name}`}
                                title={doc.status === "FAILED" ? "Retry" : "Re-index"}
                                icon={<RefreshCw aria-hidden="true" />}
                                onClick={() => reindex.mutate(doc)}
                                disabled={doc.status === "PENDING" || doc.status === "PROCESSING"}
                              >
                                {doc.status === "FAILED" ? "Retry" : null}
                              </Button>
                              <Button size="sm" variant="ghost" iconOnly aria-label={`Delete ${doc.name}`} title="Delete" icon={<Trash2 aria-hidden="true" />} onClick={() => setConfirmDelete(doc)} />
                            </>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
      </Card>
      <AddTextDialog botId={botId} open={textOpen} onClose={() => setTextOpen(false)} onAdded={refresh} />
      <MetadataDialog
        botId={botId}
        document={editMetadata}
        onClose={() => setEditMetadata(null)}
        onSaved={() => {
          setAnnouncement(`Metadata of “${editMetadata?.name ?? ""}” saved`);
          void refresh();
        }}
      />
      <Dialog
        open={!!confirmDelete}
        onClose={() => setConfirmDelete(null)}
        title="Delete document?"
        footer={
          <>
            <Button onClick={() => setConfirmDelete(null)}>Cancel</Button>
            <Button variant="danger" className="solid" loading={remove.isPending} onClick={() => confirmDelete && remove.mutate(confirmDelete)}>
              Delete
            </Button>
          </>
        }
      >
        <p>
          “{confirmDelete?.name}” and its {confirmDelete?.chunkCount ?? 0} chunks will be removed. The bot will no longer answer from it.
        </p>
        <ErrorMessage error={remove.error} />
      </Dialog>
    </div>
  );
}

function AddUrlForm({ botId, onAdded }: { botId: string; onAdded(): void }) {
  const [url, setUrl] = useState("");
  const notify = useToast();
  const add = useMutation({
    mutationFn: () => api.documents.addUrl(botId, url.trim()),
    onSuccess: () => {
      setUrl("");
      notify("Web page added; processing starts shortly", "success");
      onAdded();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (url.trim()) add.mutate();
  };
  return (
    <form className="stack sm" onSubmit={submit}>
      <div className="add-source">
        <Field label="Web page URL">
          <Input type="url" placeholder="https://example.com/help/pricing" value={url} onChange={(e) => setUrl(e.target.value)} required />
        </Field>
        <Button type="submit" icon={<Link2 aria-hidden="true" />} loading={add.isPending}>
          Add URL
        </Button>
      </div>
      <ErrorMessage error={add.error} />
    </form>
  );
}

function AddTextDialog({ botId, open, onClose, onAdded }: { botId: string; open: boolean; onClose(): void; onAdded(): void }) {
  const [name, setName] = useState("");
  const [text, setText] = useState("");
  const [metadataText, setMetadataText] = useState("");
  const metadata = parseMetadata(metadataText);
  const add = useMutation({
    mutationFn: () => api.documents.addText(botId, { name: name.trim(), text, ...(metadata.ok ? { metadata: metadata.value } : {}) }),
    onSuccess: () => {
      setName("");
      setText("");
      setMetadataText("");
      onAdded();
      onClose();
    },
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      wide
      title="Paste text"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="add-text" loading={add.isPending} disabled={!name.trim() || !text.trim() || !metadata.ok}>
            Add document
          </Button>
        </>
      }
    >
      <form
        id="add-text"
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <Field label="Title">
          <Input value={name} onChange={(e) => setName(e.target.value)} required maxLength={255} placeholder="Refund policy" />
        </Field>
        <Field label="Text" hint="Plain text or Markdown. Headings are kept for citations.">
          <Textarea rows={12} value={text} onChange={(e) => setText(e.target.value)} required />
        </Field>
        <Field label="Metadata (optional)" hint={METADATA_HINT} error={metadata.ok ? undefined : metadata.error}>
          <Textarea code rows={3} value={metadataText} onChange={(e) => setMetadataText(e.target.value)} spellCheck={false} placeholder='{"lang": "en"}' />
        </Field>
        <ErrorMessage error={add.error} />
      </form>
    </Dialog>
  );
}
