/** The workspace's bots, and creating one from a template or blank. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bot as BotIcon, FileText, Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api/client";
import type { Template } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { number, relativeTime } from "../../lib/format";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { EmptyState, ErrorMessage } from "../../ui/feedback";
import { Field, Input, Textarea } from "../../ui/form";
import { Card, PageHeader } from "../../ui/layout";
import { QueryState } from "../../ui/query-state";
import { BotStatusBadge } from "./status";
import "./bots.css";

export const botsKey = (ws: string) => ["bots", ws] as const;

export function BotsPage() {
  const { workspaceId, canManage } = useWorkspace();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const bots = useQuery({ queryKey: botsKey(workspaceId), queryFn: () => api.bots.list(workspaceId), enabled: !!workspaceId });

  const newBot = canManage && (
    <Button variant="primary" icon={<Plus aria-hidden="true" />} onClick={() => setCreating(true)}>
      New bot
    </Button>
  );
  return (
    <>
      <PageHeader title="Bots" description="Each bot answers from its own documents, with its own prompt, retrieval settings and widget." actions={newBot} />
      <Card padded={false}>
        <QueryState
          query={bots}
          errorTitle="Could not load bots"
          rows={4}
          empty={
            <EmptyState icon={<BotIcon aria-hidden="true" />} title="No bots yet" action={newBot}>
              Create a bot from a template, add your documents, and it is ready to answer questions.
            </EmptyState>
          }
        >
          {(list) => (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Bot</th>
                    <th scope="col">Status</th>
                    <th scope="col">Documents</th>
                    <th scope="col">Chunks</th>
                    <th scope="col">Last activity</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((bot) => (
                    <tr key={bot.id} className="clickable" onClick={() => navigate(`/w/${workspaceId}/bots/${bot.id}`)}>
                      <td>
                        <div className="row">
                          <span className="bot-icon sm" aria-hidden="true">
                            <BotIcon />
                          </span>
                          <div className="stack" style={{ gap: 0 }}>
                            <a
                              href={`/w/${workspaceId}/bots/${bot.id}`}
                              onClick={(e) => {
                                e.preventDefault();
                                navigate(`/w/${workspaceId}/bots/${bot.id}`);
                              }}
                              style={{ fontWeight: 600, color: "var(--fg)" }}
                            >
                              {bot.name}
                            </a>
                            {bot.description && <span className="small muted truncate">{bot.description}</span>}
                          </div>
                        </div>
                      </td>
                      <td>
                        <BotStatusBadge status={bot.status} />
                      </td>
                      <td>
                        <span className="row" style={{ gap: 5 }}>
                          <FileText aria-hidden="true" style={{ width: 14, color: "var(--fg-subtle)" }} />
                          {number(bot.documentCount)}
                        </span>
                      </td>
                      <td>{number(bot.chunkCount)}</td>
                      <td className="muted">{relativeTime(bot.lastActivityAt ?? bot.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
      </Card>
      <CreateBotDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function CreateBotDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { workspaceId } = useWorkspace();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [templateId, setTemplateId] = useState<string>("");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const templates = useQuery({ queryKey: ["templates"], queryFn: api.templates.list, enabled: open, staleTime: 5 * 60_000 });
  const create = useMutation({
    mutationFn: () => api.bots.create(workspaceId, { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}), ...(templateId ? { templateId } : {}) }),
    onSuccess: async (bot) => {
      await queryClient.invalidateQueries({ queryKey: botsKey(workspaceId) });
      onClose();
      navigate(`/w/${workspaceId}/bots/${bot.id}/documents`);
    },
  });
  const pick = (t: Template | null) => {
    setTemplateId(t?.id ?? "");
    if (t && !name) setName(t.name);
    if (t?.description && !description) setDescription(t.description);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      wide
      title="Create a bot"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="create-bot" loading={create.isPending} disabled={!name.trim()}>
            Create bot
          </Button>
        </>
      }
    >
      <form id="create-bot" className="stack lg" onSubmit={submit}>
        <fieldset className="template-grid">
          <legend className="label" style={{ marginBottom: 8 }}>
            Start from
          </legend>
          <TemplateOption checked={templateId === ""} onSelect={() => pick(null)} title="Blank bot" description="Default retrieval settings and a neutral prompt." />
          {templates.isPending && <div className="skeleton" style={{ height: 70 }} />}
          {templates.data?.map((t) => (
            <TemplateOption key={t.id} checked={templateId === t.id} onSelect={() => pick(t)} title={t.name} description={t.description ?? ""} />
          ))}
        </fieldset>
        {templates.error && <ErrorMessage error={templates.error} title="Templates are unavailable; you can still create a blank bot." />}
        <Field label="Name">
          <Input value={name} onChange={(e) => setName(e.target.value)} required maxLength={255} placeholder="Support assistant" />
        </Field>
        <Field label="Description" hint="Optional; shown to your team only.">
          <Textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} />
        </Field>
        <ErrorMessage error={create.error} />
      </form>
    </Dialog>
  );
}

function TemplateOption({ checked, onSelect, title, description }: { checked: boolean; onSelect(): void; title: string; description: string }) {
  return (
    <label className={`template-option ${checked ? "selected" : ""}`}>
      <input type="radio" name="template" checked={checked} onChange={onSelect} className="sr-only" />
      <strong>{title}</strong>
      <span className="small muted">{description}</span>
    </label>
  );
}
