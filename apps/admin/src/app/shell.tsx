/** The signed-in frame: sidebar with workspace switcher and navigation, then the page. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { BarChart3, Bot, Building2, CircleUserRound, CreditCard, KeyRound, Layers, LogOut, Settings, TriangleAlert, Users, Webhook } from "lucide-react";
import { useEffect } from "react";
import { NavLink, Navigate, Outlet, useLocation, useNavigate } from "react-router";
import { api } from "../api/client";
import { Loading } from "../ui/feedback";
import { Select } from "../ui/form";
import { rememberWorkspace, sessionKey, useSession, useWorkspace } from "./session";
import { ThemeToggle } from "./theme";
import "./shell.css";

export function Brand() {
  return (
    <div className="brand">
      <span className="brand-mark" aria-hidden="true">
        D
      </span>
      Docent
    </div>
  );
}

export function AppShell() {
  const session = useSession();
  const { workspaceId, workspace } = useWorkspace();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const logout = useMutation({
    mutationFn: api.auth.logout,
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(sessionKey, null);
      navigate("/login");
    },
  });
  useEffect(() => {
    if (workspace) rememberWorkspace(workspace.id);
  }, [workspace]);

  if (session.isPending) return <Loading label="Loading your workspace…" />;
  if (!session.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  const { user, workspaces } = session.data;
  if (workspaces.length > 0 && !workspace) return <Navigate to={`/w/${workspaces[0]!.id}/bots`} replace />;

  const base = `/w/${workspaceId}`;
  const initial = (user.name || user.email).slice(0, 1).toUpperCase();
  return (
    <div className="shell">
      <aside className="sidebar" aria-label="Main">
        <Brand />
        <div className="field">
          <label htmlFor="workspace-switcher" className="nav-label" style={{ padding: 0 }}>
            Workspace
          </label>
          <Select
            id="workspace-switcher"
            value={workspaceId}
            onChange={(e) => {
              const next = e.target.value;
              navigate(`/w/${next}/bots`);
            }}
          >
            {workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </Select>
        </div>
        <nav className="nav" aria-label="Workspace">
          <NavLink to={`${base}/bots`}>
            <Bot aria-hidden="true" /> Bots
          </NavLink>
          <NavLink to={`${base}/api-keys`}>
            <KeyRound aria-hidden="true" /> API keys
          </NavLink>
          <NavLink to={`${base}/webhooks`}>
            <Webhook aria-hidden="true" /> Webhooks
          </NavLink>
          <NavLink to={`${base}/members`}>
            <Users aria-hidden="true" /> Members
          </NavLink>
          <NavLink to={`${base}/usage`}>
            <BarChart3 aria-hidden="true" /> Plan & usage
          </NavLink>
          <NavLink to={`${base}/settings`}>
            <Settings aria-hidden="true" /> Settings
          </NavLink>
          <NavLink to={`${base}/account`}>
            <CircleUserRound aria-hidden="true" /> Your account
          </NavLink>
        </nav>
        {user.role === "ADMIN" && (
          <nav className="nav" aria-label="Platform">
            <span className="nav-label">Platform</span>
            <NavLink to={`${base}/platform/plans`}>
              <Layers aria-hidden="true" /> Plans
            </NavLink>
            <NavLink to={`${base}/platform/error-logs`}>
              <TriangleAlert aria-hidden="true" /> Error log
            </NavLink>
            <NavLink to={`${base}/platform/workspaces`}>
              <Building2 aria-hidden="true" /> All workspaces
            </NavLink>
          </nav>
        )}
        <div className="sidebar-footer">
          <div className="user-chip">
            <span className="avatar-circle" aria-hidden="true">
              {initial}
            </span>
            <div className="who">
              <div style={{ fontWeight: 600 }}>{user.name || user.email}</div>
              <div className="small muted">{user.email}</div>
            </div>
          </div>
          <div className="row">
            <ThemeToggle />
            <span className="spacer" />
            <button type="button" className="btn ghost sm" onClick={() => logout.mutate()} disabled={logout.isPending}>
              <LogOut aria-hidden="true" /> Log out
            </button>
          </div>
          {workspace?.role && (
            <div className="small subtle" style={{ padding: "0 6px" }}>
              <CreditCard aria-hidden="true" style={{ width: 12, height: 12, verticalAlign: -1 }} /> Your role: {workspace.role.toLowerCase()}
            </div>
          )}
        </div>
      </aside>
      <main className="main" id="main">
        <Outlet />
      </main>
    </div>
  );
}
