/**
 * Writing or correcting a curated answer: from the curated answers page, the inbox (the
 * group's question prefilled; saving marks the group handled), a transcript or the
 * playground (the question and the bot's answer prefilled). Validated with the chat
 * service's own schema, so the dialog refuses what the route would.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { createCuratedAnswerBodySchema } from "@docent/contracts/curated";
import { api } from "../../api/client";
import type { CuratedAnswer } from "../../api/types";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { Badge, ErrorMessage } from "../../ui/feedback";
import { Checkbox, Field, Textarea } from "../../ui/form";
import { useToast } from "../../ui/toast";

export interface CuratedDraft {
  question: string;
  answer: string;
  /** Inbox questions the new curated answer handles. */
  handlesQueryLogIds?: string[];
}

/** The first problem of a draft per field, in the route's own words. */
export function draftErrors(draft: { question: string; answer: string }): { question?: string; answer?: string } {
  const parsed = createCuratedAnswerBodySchema.safeParse({ question: draft.question, answer: draft.answer });
  if (parsed.success) return {};
  const out: { question?: string; answer?: string } = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if ((field === "question" || field === "answer") && !out[field]) out[field] = issue.message;
  }
  return out;
}

export function CuratedDialog({
  botId,
  open,
  onClose,
  draft,
  editing,
  onSaved,
}: {
  botId: string;
  open: boolean;
  onClose(): void;
  draft?: CuratedDraft;
  /** The curated answer being edited; a new one is created without it. */
  editing?: CuratedAnswer;
  onSaved?(): void;
}) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const [question, setQuestion] = useState(editing?.question ?? draft?.question ?? "");
  const [answer, setAnswer] = useState(editing?.answer ?? draft?.answer ?? "");
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  const [touched, setTouched] = useState(false);
  const errors = draftErrors({ question, answer });
  const save = useMutation({
    mutationFn: () =>
      editing
        ? api.curated.update(botId, editing.id, { question, answer, enabled })
        : api.curated.create(botId, { question, answer, enabled, ...(draft?.handlesQueryLogIds?.length ? { handlesQueryLogIds: draft.handlesQueryLogIds } : {}) }),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ["curated", botId] }),
        queryClient.invalidateQueries({ queryKey: ["inbox", botId] }),
      ]);
      notify(editing ? "Curated answer saved" : "Curated answer added: close questions now get it", "success");
      onSaved?.();
      onClose();
    },
  });
  const submit = () => {
    setTouched(true);
    if (errors.question || errors.answer) return;
    save.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      wide
      title={editing ? "Edit curated answer" : "Add curated answer"}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" onClick={submit} loading={save.isPending}>
            Save
          </Button>
        </>
      }
    >
      <div className="stack">
        <Field label="Question" hint="Questions close to this one get the answer below instead of a generated one." error={touched ? errors.question : undefined}>
          <Textarea rows={2} value={question} onChange={(e) => setQuestion(e.target.value)} />
        </Field>
        <Field label="Answer" error={touched ? errors.answer : undefined}>
          <Textarea rows={6} value={answer} onChange={(e) => setAnswer(e.target.value)} />
        </Field>
        <Checkbox label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        {draft?.handlesQueryLogIds?.length ? (
          <p className="small muted">Saving marks the {draft.handlesQueryLogIds.length} inbox question(s) of this group handled.</p>
        ) : null}
        <ErrorMessage error={save.error} />
      </div>
    </Dialog>
  );
}

/** Marks an answer given by a curated answer (playground, transcripts). */
export function CuratedBadge({ question }: { question: string }) {
  return (
    <span title={`Curated answer to: ${question}`}>
      <Badge tone="info">Curated</Badge>
    </span>
  );
}
