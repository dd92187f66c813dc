/**
 * Workspace webhooks: endpoints (URL, events, enabled), the signing secret shown once at
 * creation or rotation, a test event, and each endpoint's recent deliveries with
 * redelivery. Workspace admins only (the API refuses others).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, Copy, Plus, Webhook } from "lucide-react";
import { type FormEvent, useState } from "react";
import { webhookEventTypes } from "@docent/contracts/webhooks";
import { api } from "../../api/client";
import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { dateTime, relativeTime } from "../../lib/format";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { Alert, Badge, type BadgeTone, EmptyState, ErrorMessage } from "../../ui/feedback";
import { Checkbox, Field, Input } from "../../ui/form";
import { Card, PageHeader } from "../../ui/layout";
import { QueryState } from "../../ui/query-state";
import { useToast } from "../../ui/toast";

type EventType = (typeof webhookEventTypes)[number];

const eventHelp: Record<EventType, string> = {
  "document.processed": "A document finished processing",
  "document.failed": "A document could not be processed",
  "conversation.created": "A visitor or API caller started a conversation",
  "message.rated": "An answer was rated down (thumbs down, or 1-2 stars)",
  "handoff.requested": "A widget visitor asked for a person",
};

const PAGE = 10;

/** How a delivery reads in the log: a short label and its tone. */
export function describeDelivery(d: Pick<WebhookDelivery, "status" | "responseStatus" | "attempts" | "nextAttemptAt" | "lastError">): {
  label: string;
  tone: BadgeTone;
  detail: string;
} {
  const code = d.responseStatus === null ? "no answer" : `HTTP ${d.responseStatus}`;
  if (d.status === "SUCCEEDED") return { label: "Delivered", tone: "success", detail: `${code}, attempt ${d.attempts}` };
  if (d.status === "FAILED") return { label: "Failed", tone: "danger", detail: d.lastError ?? code };
  if (d.attempts === 0) return { label: "Queued", tone: "info", detail: "Not sent yet" };
  return {
    label: "Retrying",
    tone: "warning",
    detail: `${d.lastError ?? code} Next attempt ${d.nextAttemptAt ? relativeTime(d.nextAttemptAt) : "soon"}.`,
  };
}

export function WebhooksPage() {
  const { workspaceId, canManage } = useWorkspace();
  const queryClient = useQueryClient();
  const notify = useToast();
  const key = ["webhooks", workspaceId];
  const endpoints = useQuery({ queryKey: key, queryFn: () => api.webhooks.list(workspaceId), enabled: canManage });
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<WebhookEndpointWithSecret | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["webhooks", workspaceId] });
  const toggle = useMutation({
    mutationFn: (e: WebhookEndpoint) => api.webhooks.update(workspaceId, e.id, { enabled: !e.enabled }),
    onSuccess: refresh,
  });
  const rotate = useMutation({
    mutationFn: (e: WebhookEndpoint) => api.webhooks.rotateSecret(workspaceId, e.id),
    onSuccess: async (e) => {
      setSecret(e);
      await refresh();
    },
  });
  const test = useMutation({
    mutationFn: (e: WebhookEndpoint) => api.webhooks.sendTest(workspaceId, e.id),
    onSuccess: async (_d, e) => {
      notify("Test event queued", "success");
      setSelected(e.id);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (e: WebhookEndpoint) => api.webhooks.remove(workspaceId, e.id),
    onSuccess: async () => {
      setDeleting(null);
      setSelected(null);
      await refresh();
    },
  });
  if (!canManage) {
    return (
      <>
        <PageHeader title="Webhooks" />
        <Alert tone="info">Only workspace owners and admins manage webhooks.</Alert>
      </>
    );
  }
  const action = (
    <Button variant="primary" icon={<Plus aria-hidden="true" />} onClick={() => setCreating(true)}>
      Add endpoint
    </Button>
  );
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Docent POSTs signed JSON to your endpoints when documents finish, conversations start, answers are rated down or visitors ask for a person. Verify the webhook-signature header with the endpoint's secret (see the README)."
        actions={action}
      />
      {secret && <SecretBanner endpoint={secret} onDismiss={() => setSecret(null)} />}
      <ErrorMessage error={toggle.error ?? rotate.error ?? test.error} />
      <Card padded={false}>
        <QueryState
          query={endpoints}
          errorTitle="Could not load webhooks"
          empty={
            <EmptyState icon={<Webhook aria-hidden="true" />} title="No webhook endpoints" action={action}>
              Add an endpoint to hear about events in your own systems.
            </EmptyState>
          }
        >
          {(list) => (
            <div className="table-wrap">
              <table className="table" aria-label="Webhook endpoints">
                <thead>
                  <tr>
                    <th scope="col">URL</th>
                    <th scope="col">Events</th>
                    <th scope="col">Secret</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((e) => (
                    <tr key={e.id} aria-selected={selected === e.id}>
                      <td>
                        <div className="stack sm">
                          <div className="row">
                            <code>{e.url}</code>
                            {!e.enabled && <Badge tone="warning">Disabled</Badge>}
                          </div>
                          {e.description && <span className="muted small">{e.description}</span>}
                        </div>
                      </td>
                      <td>
                        <div className="row wrap" style={{ gap: 4 }}>
                          {e.eventTypes.map((t) => (
                            <Badge key={t} plain>
                              {t}
                            </Badge>
                          ))}
                        </div>
                      </td>
                      <td>
                        <code>{e.secretHint}…</code>
                      </td>
                      <td style={{ textAlign: "right" }}>
                        <div className="row wrap" style={{ gap: 4, justifyContent: "flex-end" }}>
                          <Button size="sm" onClick={() => setSelected(selected === e.id ? null : e.id)}>
                            Deliveries
                          </Button>
                          <Button size="sm" loading={test.isPending && test.variables?.id === e.id} onClick={() => test.mutate(e)}>
                            Send test event
                          </Button>
                          <Button size="sm" onClick={() => toggle.mutate(e)}>
                            {e.enabled ? "Disable" : "Enable"}
                          </Button>
                          <Button size="sm" onClick={() => rotate.mutate(e)}>
                            Rotate secret
                          </Button>
                          <Button size="sm" variant="danger" onClick={() => setDeleting(e)}>
                            Delete
                          </Button>
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
      {selected && <Deliveries workspaceId={workspaceId} endpointId={selected} />}
      <CreateEndpointDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={async (e) => {
          setCreating(false);
          setSecret(e);
          await refresh();
        }}
      />
      <Dialog
        open={!!deleting}
        onClose={() => setDeleting(null)}
        title="Delete endpoint?"
        footer={
          <>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
            <Button variant="danger" className="solid" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>
              Delete endpoint
            </Button>
          </>
        }
      >
        <p>Events stop going to {deleting?.url}, and its delivery log is deleted.</p>
        <ErrorMessage error={remove.error} />
      </Dialog>
    </>
  );
}

function Deliveries({ workspaceId, endpointId }: { workspaceId: string; endpointId: string }) {
  const queryClient = useQueryClient();
  const [offset, setOffset] = useState(0);
  const key = ["webhooks", workspaceId, endpointId, "deliveries", offset];
  const deliveries = useQuery({
    queryKey: key,
    queryFn: () => api.webhooks.deliveries(workspaceId, endpointId, { limit: PAGE, offset }),
    refetchInterval: 5000,
  });
  const redeliver = useMutation({
    mutationFn: (d: WebhookDelivery) => api.webhooks.redeliver(workspaceId, endpointId, d.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["webhooks", workspaceId, endpointId] }),
  });
  const total = deliveries.data?.total ?? 0;
  return (
    <Card
      title="Recent deliveries"
      padded={false}
      actions={
        <div className="row">
          <Button size="sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Newer
          </Button>
          <Button size="sm" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
            Older
          </Button>
        </div>
      }
    >
      <ErrorMessage error={redeliver.error} />
      <QueryState query={deliveries} errorTitle="Could not load deliveries" empty={<EmptyState title="No deliveries yet" />}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="No deliveries yet">Send a test event to see one here.</EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Webhook deliveries">
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Status</th>
                    <th scope="col">Response</th>
                    <th scope="col">Duration</th>
                    <th scope="col">Created</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((d) => {
                    const shown = describeDelivery(d);
                    return (
                      <tr key={d.id}>
                        <td>
                          <code>{d.eventType}</code>
                        </td>
                        <td>
                          <div className="stack sm">
                            <Badge tone={shown.tone}>{shown.label}</Badge>
                            <span className="muted small">{shown.detail}</span>
                          </div>
                        </td>
                        <td className="muted small">{d.responseExcerpt ? <code>{d.responseExcerpt.slice(0, 120)}</code> : "—"}</td>
                        <td className="muted">{d.durationMs === null ? "—" : `${d.durationMs} ms`}</td>
                        <td className="muted" title={dateTime(d.createdAt)}>
                          {relativeTime(d.createdAt)}
                        </td>
                        <td style={{ textAlign: "right" }}>
                          <Button size="sm" loading={redeliver.isPending && redeliver.variables?.id === d.id} onClick={() => redeliver.mutate(d)}>
                            Redeliver
                          </Button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
    </Card>
  );
}

function SecretBanner({ endpoint, onDismiss }: { endpoint: WebhookEndpointWithSecret; onDismiss(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div style={{ marginBottom: 18 }}>
      <Alert tone="success" title={`Signing secret for ${endpoint.url}`}>
        <div className="stack sm">
          <span>Copy it now: it will not be shown again. Your endpoint uses it to verify each delivery's signature.</span>
          <div className="row">
            <code className="secret" data-testid="new-webhook-secret">
              {endpoint.secret}
            </code>
            <Button
              size="sm"
              icon={copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
              onClick={async () => {
                try {
                  await navigator.clipboard.writeText(endpoint.secret);
                  setCopied(true);
                } catch {
                  /* clipboard blocked; the secret is selectable */
                }
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
            <Button size="sm" variant="ghost" onClick={onDismiss}>
              I have saved it
            </Button>
          </div>
        </div>
      </Alert>
    </div>
  );
}

function CreateEndpointDialog({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(e: WebhookEndpointWithSecret): void }) {
  const { workspaceId } = useWorkspace();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<EventType[]>(["document.failed"]);
  const create = useMutation({
    mutationFn: () => api.webhooks.create(workspaceId, { url: url.trim(), description: description.trim(), eventTypes: events }),
    onSuccess: (e) => {
      setUrl("");
      setDescription("");
      setEvents(["document.failed"]);
      onCreated(e);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (url.trim() && events.length) create.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Add webhook endpoint"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="create-webhook" loading={create.isPending} disabled={!url.trim() || events.length === 0}>
            Add endpoint
          </Button>
        </>
      }
    >
      <form id="create-webhook" className="stack" onSubmit={submit}>
        <Field label="URL" hint="Must resolve to a public address; https in production.">
          <Input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://hooks.example.com/docent" maxLength={2000} required />
        </Field>
        <Field label="Description">
          <Input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
        </Field>
        <fieldset className="stack sm" style={{ border: "none", padding: 0, margin: 0 }}>
          <legend className="label" style={{ marginBottom: 6 }}>
            Events
          </legend>
          {webhookEventTypes.map((t) => (
            <Checkbox
              key={t}
              checked={events.includes(t)}
              onChange={(e) => setEvents((list) => (e.target.checked ? [...list, t] : list.filter((x) => x !== t)))}
              label={
                <span>
                  <code>{t}</code> <span className="muted small">{eventHelp[t]}</span>
                </span>
              }
            />
          ))}
          {events.length === 0 && <span className="error-text small">Choose at least one event.</span>}
        </fieldset>
        <ErrorMessage error={create.error} />
      </form>
    </Dialog>
  );
}
