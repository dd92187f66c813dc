/** The widget's fixed metadata filter: visitors get answers only from matching documents and cannot change it. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { type BotRef, api } from "../../api/client";
import { Button } from "../../ui/button";
import { ErrorMessage } from "../../ui/feedback";
import { Field, Textarea } from "../../ui/form";
import { Card } from "../../ui/layout";
import { useToast } from "../../ui/toast";
import { formatJson, parseFilter } from "../metadata/metadata-json";

const HINT =
  'Empty: every document. Otherwise a filter on the documents\' metadata, e.g. {"eq": {"key": "lang", "value": "en"}}; also {"in": {"key", "values"}}, {"range": {"key", "gte", "lt"}} (numbers, or ISO dates as strings), {"and": [...]}, {"or": [...]}.';

export function WidgetFilterCard({ botRef, stored, canManage }: { botRef: BotRef; stored: unknown; canManage: boolean }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const [text, setText] = useState(formatJson(stored));
  useEffect(() => setText(formatJson(stored)), [stored]);
  const parsed = parseFilter(text);
  const save = useMutation({
    mutationFn: () => {
      if (!parsed.ok) throw new Error("Fix the filter first");
      return api.widget.update(botRef, { metadataFilter: parsed.value });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["widget", botRef.botId] });
      notify(parsed.ok && parsed.value ? "The widget now answers only from matching documents." : "The widget answers from every document.", "success");
    },
  });
  return (
    <Card title="Documents the widget answers from">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field label="Fixed metadata filter" hint={HINT} error={parsed.ok ? undefined : parsed.error}>
          <Textarea code rows={5} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} disabled={!canManage} placeholder='{"eq": {"key": "lang", "value": "en"}}' />
        </Field>
        {canManage && (
          <div className="row">
            <Button type="submit" variant="primary" loading={save.isPending} disabled={!parsed.ok || text === formatJson(stored)}>
              Save filter
            </Button>
          </div>
        )}
        <ErrorMessage error={save.error} />
      </form>
    </Card>
  );
}
