/** A bot's header and section tabs; each tab is its own route. */
import { BarChart3, BookmarkCheck, Bot as BotIcon, ChevronRight, FileText, FlaskConical, Globe, Inbox, MessageSquareText, MessagesSquare, PanelsTopLeft, ScrollText, SlidersHorizontal, Tags } from "lucide-react";
import { Link, NavLink, Outlet } from "react-router";
import { useWorkspace } from "../../app/session";
import { ErrorMessage, Loading } from "../../ui/feedback";
import { BotStatusBadge } from "./status";
import { useBot } from "./use-bot";
import "./bots.css";

const tabs = [
  { to: "documents", label: "Documents", icon: FileText },
  { to: "sources", label: "Sources", icon: Globe },
  { to: "prompts", label: "Prompts", icon: ScrollText },
  { to: "retrieval", label: "Retrieval", icon: SlidersHorizontal },
  { to: "evaluation", label: "Evaluation", icon: FlaskConical },
  { to: "playground", label: "Playground", icon: MessageSquareText },
  { to: "widget", label: "Widget", icon: PanelsTopLeft },
  { to: "conversations", label: "Conversations", icon: MessagesSquare },
  { to: "inbox", label: "Inbox", icon: Inbox },
  { to: "curated", label: "Curated answers", icon: BookmarkCheck },
  { to: "topics", label: "Topics", icon: Tags },
  { to: "analytics", label: "Analytics", icon: BarChart3 },
];

export function BotLayout() {
  const { workspaceId } = useWorkspace();
  const bot = useBot();
  if (bot.isPending) return <Loading label="Loading bot…" />;
  if (bot.error) return <ErrorMessage error={bot.error} title="Could not load this bot" />;
  const b = bot.data;
  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to={`/w/${workspaceId}/bots`}>Bots</Link>
        <ChevronRight aria-hidden="true" />
        <span aria-current="page">{b.name}</span>
      </nav>
      <div className="bot-header">
        <span className="bot-icon" aria-hidden="true">
          <BotIcon />
        </span>
        <div className="stack" style={{ gap: 2, flex: 1, minWidth: 0 }}>
          <div className="row">
            <h1>{b.name}</h1>
            <BotStatusBadge status={b.status} />
          </div>
          <div className="small muted">
            Public id <code>{b.publicId}</code>
            {b.description ? ` · ${b.description}` : ""}
          </div>
        </div>
      </div>
      <nav className="tabs" aria-label="Bot sections" style={{ marginTop: 14 }}>
        {tabs.map(({ to, label, icon: Icon }) => (
          <NavLink key={to} to={to} className={({ isActive }) => (isActive ? "active" : "")}>
            <Icon aria-hidden="true" /> {label}
          </NavLink>
        ))}
      </nav>
      <div className="tab-content">
        <Outlet />
      </div>
    </>
  );
}
