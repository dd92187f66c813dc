/** The bot's system prompt: versions, editing, activating one, and a diff against the active one. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, GitCompare, Plus, Save, ScrollText, Trash2 } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { api } from "../../api/client";
import type { Prompt } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { relativeTime } from "../../lib/format";
import { Button } from "../../ui/button";
import { Badge, EmptyState, ErrorMessage } from "../../ui/feedback";
import { Field, Textarea } from "../../ui/form";
import { Card } from "../../ui/layout";
import { QueryState } from "../../ui/query-state";
import { useToast } from "../../ui/toast";
import { botKey, useBot } from "../bots/use-bot";
import { PromptDiff } from "./prompt-diff";
import "./prompts.css";

export function PromptsPage() {
  const { botId, ref } = useBot();
  const { canManage } = useWorkspace();
  const queryClient = useQueryClient();
  const notify = useToast();
  const key = ["prompts", botId];
  const prompts = useQuery({ queryKey: key, queryFn: () => api.prompts.list(ref) });
  const sorted = useMemo(() => [...(prompts.data ?? [])].sort((a, b) => b.version - a.version), [prompts.data]);
  const active = sorted.find((p) => p.isActive);
  const [selectedId, setSelectedId] = useState<string | "new" | null>(null);
  const selected = selectedId === "new" ? null : (sorted.find((p) => p.id === selectedId) ?? active ?? sorted[0] ?? null);
  const [draft, setDraft] = useState("");
  const [showDiff, setShowDiff] = useState(false);

  useEffect(() => {
    if (selectedId === "new") return;
    setDraft(selected?.content ?? "");
  }, [selected?.id, selected?.content, selectedId]);

  const invalidate = async () => {
    await queryClient.invalidateQueries({ queryKey: key });
    await queryClient.invalidateQueries({ queryKey: botKey(botId) });
  };
  const create = useMutation({
    mutationFn: (activate: boolean) => api.prompts.create(ref, { name: `Version ${(sorted[0]?.version ?? 0) + 1}`, content: draft, activate }),
    onSuccess: async (p, activate) => {
      await invalidate();
      setSelectedId(p.id);
      notify(activate ? `Version ${p.version} saved and activated` : `Saved as version ${p.version}`, "success");
    },
  });
  const activate = useMutation({
    mutationFn: (p: Prompt) => api.prompts.activate(ref, p.id),
    onSuccess: async (_r, p) => {
      await invalidate();
      notify(`Version ${p.version} is now active`, "success");
    },
  });
  const remove = useMutation({
    mutationFn: (p: Prompt) => api.prompts.remove(ref, p.id),
    onSuccess: async (_r, p) => {
      setSelectedId(null);
      await invalidate();
      notify(`Version ${p.version} deleted`, "success");
    },
  });
  const dirty = selectedId === "new" ? draft.trim().length > 0 : draft !== (selected?.content ?? "");
  const error = create.error ?? activate.error ?? remove.error;

  return (
    <div className="prompts-layout">
      <Card
        padded={false}
        title="Versions"
        actions={
          canManage && (
            <Button
              size="sm"
              icon={<Plus aria-hidden="true" />}
              onClick={() => {
                setSelectedId("new");
                setDraft(active?.content ?? "");
              }}
            >
              New
            </Button>
          )
        }
      >
        <QueryState
          query={prompts}
          empty={<p className="card-body muted small">No versions yet. Write the first prompt on the right.</p>}
        >
          {() => (
            <ul className="version-list" aria-label="Prompt versions">
              {sorted.map((p) => (
                <li key={p.id}>
                  <button type="button" aria-current={selected?.id === p.id && selectedId !== "new" ? "true" : undefined} onClick={() => setSelectedId(p.id)}>
                    <span className="row">
                      <strong>Version {p.version}</strong>
                      {p.isActive && <Badge tone="success">Active</Badge>}
                    </span>
                    <span className="small muted">{p.name || relativeTime(p.createdAt)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </Card>
      <Card
        title={selectedId === "new" || !selected ? "New version" : `Version ${selected.version}${selected.isActive ? " (active)" : ""}`}
        actions={
          selected &&
          active &&
          selected.id !== active.id && (
            <Button size="sm" icon={<GitCompare aria-hidden="true" />} aria-pressed={showDiff} onClick={() => setShowDiff((v) => !v)}>
              {showDiff ? "Hide diff" : "Diff with active"}
            </Button>
          )
        }
      >
        {prompts.isSuccess && sorted.length === 0 && selectedId !== "new" && !draft && (
          <EmptyState icon={<ScrollText aria-hidden="true" />} title="No system prompt yet">
            The system prompt tells the bot who it is and how to answer. Grounding rules and sources are added automatically.
          </EmptyState>
        )}
        <div className="stack">
          <Field label="System prompt" hint="Sources and the rule to answer only from them are appended automatically.">
            <Textarea code rows={14} value={draft} onChange={(e) => setDraft(e.target.value)} readOnly={!canManage} maxLength={20000} />
          </Field>
          {showDiff && active && <PromptDiff from={active.content} to={dirty ? draft : (selected?.content ?? "")} />}
          {dirty && active && !showDiff && selectedId !== "new" && <p className="small muted">Unsaved changes. Saving creates a new version; the active one stays until you activate another.</p>}
          <ErrorMessage error={error} />
          {canManage && (
            <div className="row wrap">
              <Button variant="primary" icon={<Save aria-hidden="true" />} disabled={!dirty || !draft.trim()} loading={create.isPending} onClick={() => create.mutate(false)}>
                Save as new version
              </Button>
              <Button icon={<CheckCircle2 aria-hidden="true" />} disabled={!draft.trim() || (!dirty && !!selected?.isActive)} onClick={() => (dirty || !selected ? create.mutate(true) : activate.mutate(selected))} loading={activate.isPending}>
                {dirty || !selected ? "Save and activate" : "Activate"}
              </Button>
              <span className="spacer" />
              {selected && !selected.isActive && selectedId !== "new" && (
                <Button variant="danger" icon={<Trash2 aria-hidden="true" />} onClick={() => remove.mutate(selected)} loading={remove.isPending}>
                  Delete version
                </Button>
              )}
            </div>
          )}
        </div>
      </Card>
    </div>
  );
}
