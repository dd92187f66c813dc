/**
 * A bot's website sources: add a site or a sitemap, watch its crawl (live, on the
 * documents' event stream), crawl it again, read what each run did, delete it.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Globe, History, Plus, RefreshCw, Trash2 } from "lucide-react";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { api } from "../../api/client";
import type { Source, SourceStatusEvent } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { number, relativeTime } from "../../lib/format";
import { schemaResolver } from "../../lib/schema-form";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { Badge, type BadgeTone, EmptyState, ErrorMessage } from "../../ui/feedback";
import { Field, Input, Select, Textarea } from "../../ui/form";
import { Card } from "../../ui/layout";
import { QueryState } from "../../ui/query-state";
import { useToast } from "../../ui/toast";
import { useBot } from "../bots/use-bot";
import { emptySourceForm, sourceFormSchema, type SourceFormState, type SourceFormValues } from "./source-form";

export const sourcesKey = (botId: string) => ["sources", botId] as const;

const statusTone: Record<Source["status"], BadgeTone> = { pending: "default", crawling: "info", completed: "success", failed: "danger" };
const statusLabel: Record<Source["status"], string> = { pending: "Waiting", crawling: "Crawling", completed: "Crawled", failed: "Failed" };
const scheduleLabel: Record<Source["schedule"], string> = { manual: "Manual", hourly: "Hourly", daily: "Daily", weekly: "Weekly" };

/** The sources, with crawl progress merged in from the event stream as it comes. */
function useSources(botId: string) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: sourcesKey(botId),
    queryFn: () => api.sources.list(botId),
    enabled: !!botId,
    // Pages keep being indexed after a crawl ends: poll while anything is in flight.
    refetchInterval: (q) => ((q.state.data ?? []).some((s) => s.status === "crawling" || s.status === "pending" || s.pagesPending > 0) ? 3000 : false),
  });
  useEffect(() => {
    if (!botId || typeof EventSource === "undefined") return;
    const stream = new EventSource(api.documents.eventsUrl(botId), { withCredentials: true });
    const onSource = (message: MessageEvent<string>) => {
      let event: SourceStatusEvent;
      try {
        event = JSON.parse(message.data) as SourceStatusEvent;
      } catch {
        return;
      }
      queryClient.setQueryData<Source[]>(sourcesKey(botId), (list) =>
        list?.map((s) =>
          s.id === event.sourceId
            ? { ...s, status: event.status, pagesFound: event.pagesFound, pagesProcessed: event.pagesProcessed, pagesSkipped: event.pagesSkipped, errorMessage: event.errorMessage }
            : s,
        ),
      );
      if (event.status !== "crawling") void queryClient.invalidateQueries({ queryKey: sourcesKey(botId) });
    };
    stream.addEventListener("source", onSource as EventListener);
    return () => stream.close();
  }, [botId, queryClient]);
  return query;
}

export function SourcesPage() {
  const { botId } = useBot();
  const { canManage } = useWorkspace();
  const sources = useSources(botId);
  const queryClient = useQueryClient();
  const notify = useToast();
  const [adding, setAdding] = useState(false);
  const [runsOf, setRunsOf] = useState<Source | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<Source | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: sourcesKey(botId) });

  const sync = useMutation({
    mutationFn: (source: Source) => api.sources.sync(botId, source.id),
    onSuccess: (_r, source) => {
      notify(`Crawling ${source.url} again`, "success");
      void refresh();
    },
    onError: (e: Error) => notify(e.message, "error"),
  });
  const remove = useMutation({
    mutationFn: (source: Source) => api.sources.remove(botId, source.id),
    onSuccess: (_r, source) => {
      notify(`Deleted ${source.url} and its pages`, "success");
      setConfirmDelete(null);
      void refresh();
      void queryClient.invalidateQueries({ queryKey: ["documents", botId] });
    },
  });

  return (
    <div className="stack lg">
      <Card
        padded={false}
        title="Website sources"
        actions={
          canManage && (
            <Button size="sm" variant="primary" icon={<Plus aria-hidden="true" />} onClick={() => setAdding(true)}>
              Add a site
            </Button>
          )
        }
      >
        <QueryState
          query={sources}
          errorTitle="Could not load sources"
          rows={3}
          empty={
            <EmptyState icon={<Globe aria-hidden="true" />} title="No website sources yet">
              Add a help centre or documentation site (or its sitemap): every page becomes a document, kept fresh on a schedule.
            </EmptyState>
          }
        >
          {(list) => (
            <div className="table-wrap">
              <table className="table" aria-label="Website sources">
                <thead>
                  <tr>
                    <th scope="col">Site</th>
                    <th scope="col">Status</th>
                    <th scope="col">Pages</th>
                    <th scope="col">Schedule</th>
                    <th scope="col">Last crawl</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((source) => (
                    <tr key={source.id} data-source={source.url}>
                      <td>
                        <div className="stack" style={{ gap: 0, minWidth: 0 }}>
                          <span className="truncate" style={{ fontWeight: 550 }}>
                            {source.url}
                          </span>
                          <span className="small subtle">
                            {source.kind === "sitemap" ? "Sitemap" : `Links, ${source.maxDepth} deep`} · up to {number(source.maxPages)} pages
                          </span>
                          {source.status === "failed" && source.errorMessage && <span className="doc-error">{source.errorMessage}</span>}
                        </div>
                      </td>
                      <td>
                        <Badge tone={statusTone[source.status]}>{statusLabel[source.status]}</Badge>
                      </td>
                      <td className="small">
                        <span title="indexed / found">
                          {number(source.pagesProcessed)} / {number(source.pagesFound)}
                        </span>
                        {source.pagesPending > 0 && <span className="muted"> · {number(source.pagesPending)} indexing</span>}
                        {source.pagesFailed > 0 && <span className="doc-error"> · {number(source.pagesFailed)} failed</span>}
                        {source.pagesSkipped > 0 && <span className="muted"> · {number(source.pagesSkipped)} skipped</span>}
                      </td>
                      <td className="muted small">
                        {scheduleLabel[source.schedule]}
                        {source.nextCrawlAt && <div>next {relativeTime(source.nextCrawlAt)}</div>}
                      </td>
                      <td className="muted small">{source.lastCrawlAt ? relativeTime(source.lastCrawlAt) : "—"}</td>
                      <td>
                        <div className="row" style={{ justifyContent: "flex-end", gap: 2 }}>
                          <Button size="sm" variant="ghost" iconOnly aria-label={`Runs of ${source.url}`} title="Runs" icon={<History aria-hidden="true" />} onClick={() => setRunsOf(source)} />
                          {canManage && (
                            <>
                              <Button
                                size="sm"
                                variant="ghost"
                                iconOnly
                                aria-label={`Crawl ${source.url} now`}
                                title="Crawl now"
                                icon={<RefreshCw aria-hidden="true" />}
                                disabled={source.status === "crawling"}
                                onClick={() => sync.mutate(source)}
                              />
                              <Button size="sm" variant="ghost" iconOnly aria-label={`Delete ${source.url}`} title="Delete" icon={<Trash2 aria-hidden="true" />} onClick={() => setConfirmDelete(source)} />
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
      <AddSourceDialog botId={botId} open={adding} onClose={() => setAdding(false)} onAdded={refresh} />
      <RunsDialog botId={botId} source={runsOf} onClose={() => setRunsOf(null)} />
      <Dialog
        open={!!confirmDelete}
        onClose={() => setConfirmDelete(null)}
        title="Delete source?"
        footer={
          <>
            <Button onClick={() => setConfirmDelete(null)}>Cancel</Button>
            <Button variant="danger" className="solid" loading={remove.isPending} onClick={() => confirmDelete && remove.mutate(confirmDelete)}>
              Delete
            </Button>
          </>
        }
      >
        <p>{confirmDelete?.url} and its {number(confirmDelete?.pagesProcessed ?? 0)} pages will be removed. The bot will no longer answer from them.</p>
        <ErrorMessage error={remove.error} />
      </Dialog>
    </div>
  );
}

function AddSourceDialog({ botId, open, onClose, onAdded }: { botId: string; open: boolean; onClose(): void; onAdded(): void }) {
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors },
  } = useForm<SourceFormState, unknown, SourceFormValues>({ resolver: schemaResolver(sourceFormSchema), defaultValues: emptySourceForm });
  const add = useMutation({
    mutationFn: (values: SourceFormValues) => api.sources.create(botId, values),
    onSuccess: () => {
      reset(emptySourceForm);
      onAdded();
      onClose();
    },
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      wide
      title="Add a website source"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="add-source" loading={add.isPending}>
            Add and crawl
          </Button>
        </>
      }
    >
      <form id="add-source" className="stack" onSubmit={handleSubmit((values) => add.mutate(values))} noValidate>
        <Field label="Start URL or sitemap" error={errors.url?.message} hint="Only pages on this site are crawled.">
          <Input type="url" placeholder="https://help.example.com/" {...register("url")} />
        </Field>
        <div className="grid-2">
          <Field label="Pages from">
            <Select {...register("kind")}>
              <option value="website">Links from this page</option>
              <option value="sitemap">This sitemap</option>
            </Select>
          </Field>
          <Field label="Crawl again">
            <Select {...register("schedule")}>
              <option value="manual">Only when asked</option>
              <option value="hourly">Hourly</option>
              <option value="daily">Daily</option>
              <option value="weekly">Weekly</option>
            </Select>
          </Field>
          <Field label="Most pages" error={errors.maxPages?.message}>
            <Input inputMode="numeric" {...register("maxPages")} />
          </Field>
          <Field label="Links deep" error={errors.maxDepth?.message} hint="Links followed from the start page.">
            <Input inputMode="numeric" {...register("maxDepth")} />
          </Field>
        </div>
        <Field label="Only these paths" hint="One pattern per line, e.g. /docs/**; empty: the whole site." error={listError(errors.includePatterns)}>
          <Textarea rows={2} {...register("includePatterns")} />
        </Field>
        <Field label="Never these paths" hint="One pattern per line, e.g. /blog/**." error={listError(errors.excludePatterns)}>
          <Textarea rows={2} {...register("excludePatterns")} />
        </Field>
        <ErrorMessage error={add.error} />
      </form>
    </Dialog>
  );
}

/** The message of a list field's error, or of its first bad line. */
function listError(error: unknown): string | undefined {
  if (!error || typeof error !== "object") return undefined;
  const own = (error as { message?: unknown }).message;
  if (typeof own === "string" && own) return own;
  const first = Object.values(error).find((e): e is { message: string } => typeof (e as { message?: unknown } | null)?.message === "string");
  return first?.message;
}

function RunsDialog({ botId, source, onClose }: { botId: string; source: Source | null; onClose(): void }) {
  const runs = useQuery({
    queryKey: ["source-runs", botId, source?.id],
    queryFn: () => api.sources.runs(botId, source!.id),
    enabled: !!source,
  });
  return (
    <Dialog open={!!source} onClose={onClose} wide title={`Crawls of ${source?.url ?? ""}`} footer={<Button onClick={onClose}>Close</Button>}>
      <QueryState query={runs} errorTitle="Could not load the crawls" rows={3} empty={<p className="muted">No crawl has run yet.</p>}>
        {(list) => (
          <div className="table-wrap">
            <table className="table" aria-label="Crawls">
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Status</th>
                  <th scope="col">Fetched</th>
                  <th scope="col">Unchanged</th>
                  <th scope="col">Changed</th>
                  <th scope="col">Added</th>
                  <th scope="col">Removed</th>
                  <th scope="col">Failed</th>
                </tr>
              </thead>
              <tbody>
                {list.map((run) => (
                  <tr key={run.id}>
                    <td className="small">
                      {relativeTime(run.startedAt)} <span className="muted">({run.trigger})</span>
                    </td>
                    <td>
                      <Badge tone={run.status === "failed" ? "danger" : run.status === "running" ? "info" : "success"}>{run.status}</Badge>
                      {run.errorMessage && <div className="doc-error small">{run.errorMessage}</div>}
                    </td>
                    <td>{number(run.fetched)}</td>
                    <td>{number(run.unchanged)}</td>
                    <td>{number(run.changed)}</td>
                    <td>{number(run.added)}</td>
                    <td>{number(run.removed)}</td>
                    <td>{number(run.failed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </Dialog>
  );
}
