/** Integrator API keys: create with scopes, optional bot and expiry (secret shown once), revoke. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, Copy, KeyRound, Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { api } from "../../api/client";
import { apiKeyScopes } from "@docent/contracts/json";
import type { ApiKey, ApiKeyScope, CreatedApiKey } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { dateTime, relativeTime } from "../../lib/format";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { Alert, Badge, EmptyState, ErrorMessage } from "../../ui/feedback";
import { Checkbox, Field, Input, Select } from "../../ui/form";
import { Card, PageHeader } from "../../ui/layout";
import { QueryState } from "../../ui/query-state";
import { useToast } from "../../ui/toast";
import { botsKey } from "../bots/bots-page";

const scopeHelp: Record<ApiKeyScope, string> = {
  "bots:read": "Read bots and their settings",
  "bots:write": "Create and change bots",
  "documents:write": "Add and remove documents",
  chat: "Ask questions (chat and OpenAI-compatible endpoints)",
  "analytics:read": "Read conversations and analytics",
};

export function keyState(key: ApiKey, now = Date.now()): "active" | "revoked" | "expired" {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now) return "expired";
  return "active";
}

export function ApiKeysPage() {
  const { workspaceId, canManage } = useWorkspace();
  const queryClient = useQueryClient();
  const notify = useToast();
  const key = ["api-keys", workspaceId];
  const keys = useQuery({ queryKey: key, queryFn: () => api.apiKeys.list(workspaceId) });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const revoke = useMutation({
    mutationFn: (k: ApiKey) => api.apiKeys.revoke(workspaceId, k.id),
    onSuccess: async (_r, k) => {
      setRevoking(null);
      notify(`Key “${k.name}” revoked`, "success");
      await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const action = canManage && (
    <Button variant="primary" icon={<Plus aria-hidden="true" />} onClick={() => setCreating(true)}>
      Create API key
    </Button>
  );
  return (
    <>
      <PageHeader title="API keys" description="Keys let your servers call Docent's API. Send them as `Authorization: Bearer <key>`; never put them in a web page." actions={action} />
      {created && <NewKeyBanner created={created} onDismiss={() => setCreated(null)} />}
      <Card padded={false}>
        <QueryState
          query={keys}
          errorTitle="Could not load API keys"
          empty={
            <EmptyState icon={<KeyRound aria-hidden="true" />} title="No API keys" action={action}>
              Create a key to use the REST API, upload documents from scripts, or point an OpenAI SDK at your bot.
            </EmptyState>
          }
        >
          {(list) => (
            <div className="table-wrap">
              <table className="table" aria-label="API keys">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((k) => {
                    const state = keyState(k);
                    return (
                      <tr key={k.id}>
                        <td>
                          <div className="row">
                            <strong>{k.name}</strong>
                            {state !== "active" && <Badge tone={state === "revoked" ? "danger" : "warning"}>{state === "revoked" ? "Revoked" : "Expired"}</Badge>}
                          </div>
                        </td>
                        <td>
                          <code>{k.prefix}…</code>
                        </td>
                        <td>
                          <div className="row wrap" style={{ gap: 4 }}>
                            {k.scopes.map((s) => (
                              <Badge key={s} plain>
                                {s}
                              </Badge>
                            ))}
                          </div>
                        </td>
                        <td className="muted">{k.lastUsedAt ? relativeTime(k.lastUsedAt) : "Never"}</td>
                        <td className="muted">{k.expiresAt ? dateTime(k.expiresAt) : "Never"}</td>
                        <td style={{ textAlign: "right" }}>
                          {canManage && state !== "revoked" && (
                            <Button size="sm" variant="danger" onClick={() => setRevoking(k)}>
                              Revoke
                            </Button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
      </Card>
      <CreateKeyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={async (k) => {
          setCreating(false);
          setCreated(k);
          await queryClient.invalidateQueries({ queryKey: key });
        }}
      />
      <Dialog
        open={!!revoking}
        onClose={() => setRevoking(null)}
        title="Revoke API key?"
        footer={
          <>
            <Button onClick={() => setRevoking(null)}>Cancel</Button>
            <Button variant="danger" className="solid" loading={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking)}>
              Revoke key
            </Button>
          </>
        }
      >
        <p>Requests using “{revoking?.name}” will fail immediately. This cannot be undone.</p>
        <ErrorMessage error={revoke.error} />
      </Dialog>
    </>
  );
}

function NewKeyBanner({ created, onDismiss }: { created: CreatedApiKey; onDismiss(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div style={{ marginBottom: 18 }}>
      <Alert tone="success" title={`API key “${created.name}” created`}>
        <div className="stack sm">
          <span>Copy it now: for your security it will not be shown again.</span>
          <div className="row">
            <code className="secret" data-testid="new-api-key">
              {created.secret}
            </code>
            <Button
              size="sm"
              icon={copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
              onClick={async () => {
                try {
                  await navigator.clipboard.writeText(created.secret);
                  setCopied(true);
                } catch {
                  /* clipboard blocked; the key is selectable */
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

function CreateKeyDialog({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(k: CreatedApiKey): void }) {
  const { workspaceId } = useWorkspace();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["chat"]);
  const [botId, setBotId] = useState("");
  const [expires, setExpires] = useState("");
  const bots = useQuery({ queryKey: botsKey(workspaceId), queryFn: () => api.bots.list(workspaceId), enabled: open });
  const create = useMutation({
    mutationFn: () =>
      api.apiKeys.create(workspaceId, {
        name: name.trim(),
        scopes,
        ...(botId ? { botId } : {}),
        ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
      }),
    onSuccess: (k) => {
      setName("");
      setScopes(["chat"]);
      setBotId("");
      setExpires("");
      onCreated(k);
    },
  });
  const toggle = (s: ApiKeyScope, on: boolean) => setScopes((list) => (on ? [...list, s] : list.filter((x) => x !== s)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() && scopes.length) create.mutate();
  };
  const tomorrow = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create API key"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="create-key" loading={create.isPending} disabled={!name.trim() || scopes.length === 0}>
            Create key
          </Button>
        </>
      }
    >
      <form id="create-key" className="stack" onSubmit={submit}>
        <Field label="Name" hint="So you recognise it later, e.g. “Production server”.">
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} required />
        </Field>
        <fieldset className="stack sm" style={{ border: "none", padding: 0, margin: 0 }}>
          <legend className="label" style={{ marginBottom: 6 }}>
            Scopes
          </legend>
          {apiKeyScopes.map((s) => (
            <Checkbox
              key={s}
              checked={scopes.includes(s)}
              onChange={(e) => toggle(s, e.target.checked)}
              label={
                <span>
                  <code>{s}</code> <span className="muted small">{scopeHelp[s]}</span>
                </span>
              }
            />
          ))}
          {scopes.length === 0 && <span className="error-text small">Choose at least one scope.</span>}
        </fieldset>
        <div className="grid-2">
          <Field label="Restrict to bot">
            <Select value={botId} onChange={(e) => setBotId(e.target.value)}>
              <option value="">All bots</option>
              {bots.data?.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Expires" hint="Leave empty for no expiry.">
            <Input type="date" min={tomorrow} value={expires} onChange={(e) => setExpires(e.target.value)} />
          </Field>
        </div>
        <ErrorMessage error={create.error} />
      </form>
    </Dialog>
  );
}
