/**
 * Who is signed in and which workspace they are looking at. The session comes from
 * `GET /auth/me`; a 401 from any request drops the cached session so the router sends
 * the user to the login screen.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useParams } from "react-router";
import { api } from "../api/client";
import { ApiError, onUnauthorized } from "../api/http";
import type { Session, Workspace } from "../api/types";

export const sessionKey = ["session"] as const;

export function useSession() {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onUnauthorized(() => {
        queryClient.setQueryData(sessionKey, null);
      }),
    [queryClient],
  );
  return useQuery<Session | null>({
    queryKey: sessionKey,
    queryFn: async () => {
      try {
        return await api.auth.me();
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

const LAST_WORKSPACE = "docent-workspace";
export function rememberWorkspace(id: string): void {
  try {
    localStorage.setItem(LAST_WORKSPACE, id);
  } catch {
    /* ignore */
  }
}
export function preferredWorkspace(workspaces: Workspace[]): Workspace | undefined {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LAST_WORKSPACE);
  } catch {
    /* ignore */
  }
  return workspaces.find((w) => w.id === saved) ?? workspaces[0];
}

/** The workspace in the URL (`/w/:workspaceId/...`), with the user's role in it. */
export function useWorkspace(): { workspaceId: string; workspace: Workspace | undefined; canManage: boolean } {
  const { workspaceId = "" } = useParams();
  const { data } = useSession();
  const workspace = data?.workspaces.find((w) => w.id === workspaceId);
  const canManage = !workspace?.role || workspace.role === "OWNER" || workspace.role === "ADMIN";
  return { workspaceId, workspace, canManage };
}
