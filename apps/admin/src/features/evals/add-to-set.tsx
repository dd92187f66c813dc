/**
 * Turns an answer (typically a thumbs-down one) into an evaluation question: the question
 * it replied to, expecting the document (and passage) the admin says holds the answer.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FlaskConical } from "lucide-react";
import { useState } from "react";
import { api } from "../../api/client";
import { Button } from "../../ui/button";
import { ErrorMessage } from "../../ui/feedback";
import { Input, Select } from "../../ui/form";

export function AddToEvalSet({ botId, messageId }: { botId: string; messageId: string }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const sets = useQuery({ queryKey: ["eval-sets", botId], queryFn: () => api.evals.sets(botId), enabled: open });
  const documents = useQuery({ queryKey: ["eval-documents", botId], queryFn: () => api.documents.list(botId), enabled: open });
  const [setId, setSetId] = useState("");
  const [documentId, setDocumentId] = useState("");
  const [passage, setPassage] = useState("");
  const add = useMutation({
    mutationFn: () => api.evals.fromConversation(botId, setId || sets.data![0]!.id, { messageId, expected: [{ documentId, ...(passage.trim() ? { text: passage.trim() } : {}) }] }),
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ["eval-sets", botId] });
    },
  });
  if (!open) {
    return (
      <Button size="sm" icon={<FlaskConical aria-hidden="true" />} onClick={() => setOpen(true)} disabled={add.isSuccess}>
        {add.isSuccess ? "Added to evaluation set" : "Add to evaluation set"}
      </Button>
    );
  }
  if (sets.data && sets.data.length === 0) return <span className="small muted">Create an evaluation set on the Evaluation tab first.</span>;
  return (
    <form
      className="row wrap"
      onSubmit={(e) => {
        e.preventDefault();
        if (documentId) add.mutate();
      }}
    >
      <Select aria-label="Evaluation set" value={setId} onChange={(e) => setSetId(e.target.value)}>
        {(sets.data ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </Select>
      <Select aria-label="Document with the right answer" value={documentId} onChange={(e) => setDocumentId(e.target.value)}>
        <option value="">The right document…</option>
        {(documents.data ?? []).map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </Select>
      <Input aria-label="Passage (optional)" placeholder="Passage (optional)" value={passage} onChange={(e) => setPassage(e.target.value)} />
      <Button size="sm" type="submit" variant="primary" loading={add.isPending} disabled={!documentId}>
        Add
      </Button>
      <Button size="sm" onClick={() => setOpen(false)}>
        Cancel
      </Button>
      <ErrorMessage error={add.error} />
    </form>
  );
}
