import { useQuery } from "@tanstack/react-query";
import { useParams } from "react-router";
import { type BotRef, api } from "../../api/client";

export const botKey = (botId: string) => ["bot", botId] as const;

/** The bot named in the URL (`/w/:workspaceId/bots/:botId/...`). */
export function useBot() {
  const { workspaceId = "", botId = "" } = useParams();
  const ref: BotRef = { workspaceId, botId };
  const query = useQuery({ queryKey: botKey(botId), queryFn: () => api.bots.get(ref), enabled: !!botId && !!workspaceId });
  return { botId, workspaceId, ref, ...query };
}
