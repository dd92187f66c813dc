/**
 * Live document status. The API's SSE stream pushes every stage/progress change, which
 * is merged into the cached document list; while the stream is down and some document is
 * still in flight, the list is polled instead so progress never silently freezes.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import type { BotDocument, DocumentStatusEvent } from "../../api/types";

export const documentsKey = (botId: string) => ["documents", botId] as const;

export function applyStatusEvent(list: BotDocument[] | undefined, event: DocumentStatusEvent): BotDocument[] | undefined {
  if (!list) return list;
  const status = event.status;
  if (status === "DELETED") return list.filter((d) => d.id !== event.documentId);
  return list.map((d) =>
    d.id === event.documentId
      ? {
          ...d,
          ...(status ? { status } : {}),
          ...(event.stage !== undefined ? { stage: event.stage } : {}),
          ...(event.progress !== undefined ? { progress: event.progress } : {}),
          ...(event.chunkCount !== undefined ? { chunkCount: event.chunkCount } : {}),
          ...(event.errorMessage !== undefined ? { errorMessage: event.errorMessage } : {}),
        }
      : d,
  );
}

const inFlight = (d: BotDocument) => d.status === "PENDING" || d.status === "PROCESSING";

export function useDocuments(botId: string) {
  const queryClient = useQueryClient();
  const [streaming, setStreaming] = useState(false);
  const query = useQuery({
    queryKey: documentsKey(botId),
    queryFn: () => api.documents.list(botId),
    enabled: !!botId,
    // While documents are in flight the list is polled: every 2.5 s without the status
    // stream, every 5 s with it, as a safety net: a list fetched just before a job ended
    // (re-index of a small document) would otherwise keep showing it pending.
    refetchInterval: (q) => ((q.state.data ?? []).some(inFlight) ? (streaming ? 5000 : 2500) : false),
  });

  useEffect(() => {
    if (!botId || typeof EventSource === "undefined") return;
    const source = new EventSource(api.documents.eventsUrl(botId), { withCredentials: true });
    const onEvent = (message: MessageEvent<string>) => {
      let event: DocumentStatusEvent;
      try {
        event = JSON.parse(message.data) as DocumentStatusEvent;
      } catch {
        return;
      }
      if (!event?.documentId) return;
      const key = documentsKey(botId);
      const current = queryClient.getQueryData<BotDocument[]>(key);
      if (current && !current.some((d) => d.id === event.documentId) && event.status !== "DELETED") {
        void queryClient.invalidateQueries({ queryKey: key });
        return;
      }
      queryClient.setQueryData<BotDocument[]>(key, (list) => applyStatusEvent(list, event));
      if (event.status === "PROCESSED" || event.status === "FAILED") {
        void queryClient.invalidateQueries({ queryKey: ["bot", botId] });
      }
    };
    source.onopen = () => setStreaming(true);
    source.onerror = () => setStreaming(false);
    const onSnapshot = (message: MessageEvent<string>) => {
      try {
        const body = JSON.parse(message.data) as { documents?: BotDocument[] };
        if (Array.isArray(body.documents)) queryClient.setQueryData<BotDocument[]>(documentsKey(botId), body.documents);
      } catch {
        /* ignore a malformed snapshot; the list query still holds the truth */
      }
    };
    source.addEventListener("snapshot", onSnapshot as EventListener);
    source.addEventListener("message", onEvent);
    source.addEventListener("status", onEvent as EventListener);
    source.addEventListener("document", onEvent as EventListener);
    return () => {
      source.close();
      setStreaming(false);
    };
  }, [botId, queryClient]);

  return { ...query, streaming };
}
