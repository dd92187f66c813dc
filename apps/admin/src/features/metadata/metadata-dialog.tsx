/** Edit one document's metadata as JSON; retrieval filters see the change at once (no re-index). */
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import type { BotDocument } from "../../api/types";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { ErrorMessage } from "../../ui/feedback";
import { Field, Textarea } from "../../ui/form";
import { formatJson, parseMetadata } from "./metadata-json";

export const METADATA_HINT =
  'A JSON object: keys of lower-case letters, digits and _, values strings, numbers or lists of strings, e.g. {"lang": "en", "product": "alpha", "tags": ["billing"]}. Chat, the search API and the widget can filter on it.';

export function MetadataDialog({ botId, document, onClose, onSaved }: { botId: string; document: BotDocument | null; onClose(): void; onSaved(): void }) {
  const [text, setText] = useState("");
  useEffect(() => setText(formatJson(document?.metadata)), [document]);
  const parsed = parseMetadata(text);
  const save = useMutation({
    mutationFn: () => {
      if (!document || !parsed.ok) throw new Error("Fix the metadata first");
      return api.documents.updateMetadata(botId, document.id, parsed.value);
    },
    onSuccess: () => {
      onSaved();
      onClose();
    },
  });
  return (
    <Dialog
      open={!!document}
      onClose={onClose}
      title={`Metadata of “${document?.name ?? ""}”`}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="document-metadata" loading={save.isPending} disabled={!parsed.ok}>
            Save metadata
          </Button>
        </>
      }
    >
      <form
        id="document-metadata"
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field label="Metadata" hint={METADATA_HINT} error={parsed.ok ? undefined : parsed.error}>
          <Textarea code rows={10} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} placeholder='{"lang": "en"}' />
        </Field>
        <ErrorMessage error={save.error} />
      </form>
    </Dialog>
  );
}
