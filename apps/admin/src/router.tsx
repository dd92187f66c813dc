import { createBrowserRouter, Navigate } from "react-router";
import { useSession, preferredWorkspace } from "./app/session";
import { AppShell } from "./app/shell";
import {
  AcceptInvitationPage,
  ForgotPasswordPage,
  LoginPage,
  ResetPasswordPage,
  SignupPage,
  VerifyEmailPage,
} from "./features/auth/auth-pages";
import { LinkLoginPage, SsoCallbackPage } from "./features/auth/sso";
import { AccountPage } from "./features/account/account-page";
import { ApiKeysPage } from "./features/api-keys/api-keys-page";
import { BotLayout } from "./features/bots/bot-layout";
import { BotsPage } from "./features/bots/bots-page";
import { DocumentsPage } from "./features/documents/documents-page";
import { RetrievalPage } from "./features/retrieval/retrieval-page";
import { MembersPage } from "./features/workspace/members-page";
import { SettingsPage } from "./features/workspace/settings-page";
import { UsagePage } from "./features/workspace/usage-page";
import { ErrorMessage, Loading, EmptyState } from "./ui/feedback";

function Home() {
  const session = useSession();
  if (session.isPending) return <Loading />;
  if (session.error) return <div className="main"><ErrorMessage error={session.error} /></div>;
  if (!session.data) return <Navigate to="/login" replace />;
  const ws = preferredWorkspace(session.data.workspaces);
  if (!ws) return <EmptyState title="No workspace yet">Ask a workspace owner to invite you.</EmptyState>;
  return <Navigate to={`/w/${ws.id}/bots`} replace />;
}

function NotFound() {
  return <EmptyState title="Page not found">The page you were looking for does not exist.</EmptyState>;
}

export const router = createBrowserRouter([
  { path: "/", element: <Home /> },
  { path: "/login", element: <LoginPage /> },
  { path: "/signup", element: <SignupPage /> },
  { path: "/verify-email", element: <VerifyEmailPage /> },
  { path: "/forgot-password", element: <ForgotPasswordPage /> },
  { path: "/reset-password", element: <ResetPasswordPage /> },
  { path: "/invitations/accept", element: <AcceptInvitationPage /> },
  { path: "/auth/callback/:provider", element: <SsoCallbackPage /> },
  { path: "/link-login", element: <LinkLoginPage /> },
  {
    path: "/w/:workspaceId",
    element: <AppShell />,
    children: [
      { index: true, element: <Navigate to="bots" replace /> },
      { path: "bots", element: <BotsPage /> },
      {
        path: "bots/:botId",
        element: <BotLayout />,
        children: [
          { index: true, element: <Navigate to="documents" replace /> },
          { path: "documents", element: <DocumentsPage /> },
          { path: "sources", lazy: async () => ({ Component: (await import("./features/sources/sources-page")).SourcesPage }) },
          { path: "prompts", lazy: async () => ({ Component: (await import("./features/prompts/prompts-page")).PromptsPage }) },
          { path: "retrieval", element: <RetrievalPage /> },
          { path: "playground", lazy: async () => ({ Component: (await import("./features/playground/playground-page")).PlaygroundPage }) },
          { path: "widget", lazy: async () => ({ Component: (await import("./features/widget/widget-page")).WidgetPage }) },
          { path: "conversations", lazy: async () => ({ Component: (await import("./features/conversations/conversations-page")).ConversationsPage }) },
          { path: "evaluation", lazy: async () => ({ Component: (await import("./features/evals/evals-page")).EvalsPage }) },
          { path: "inbox", lazy: async () => ({ Component: (await import("./features/inbox/inbox-page")).InboxPage }) },
          { path: "curated", lazy: async () => ({ Component: (await import("./features/curated/curated-page")).CuratedPage }) },
          { path: "topics", lazy: async () => ({ Component: (await import("./features/topics/topics-page")).TopicsPage }) },
          { path: "analytics", lazy: async () => ({ Component: (await import("./features/analytics/analytics-page")).AnalyticsPage }) },
        ],
      },
      { path: "api-keys", element: <ApiKeysPage /> },
      { path: "webhooks", lazy: async () => ({ Component: (await import("./features/webhooks/webhooks-page")).WebhooksPage }) },
      { path: "members", element: <MembersPage /> },
      { path: "settings", element: <SettingsPage /> },
      { path: "usage", element: <UsagePage /> },
      { path: "account", element: <AccountPage /> },
      { path: "platform/plans", lazy: async () => ({ Component: (await import("./features/platform/plans-page")).PlansPage }) },
      { path: "platform/error-logs", lazy: async () => ({ Component: (await import("./features/platform/error-logs-page")).ErrorLogsPage }) },
      { path: "platform/workspaces", lazy: async () => ({ Component: (await import("./features/platform/workspaces-page")).WorkspacesPage }) },
      { path: "*", element: <NotFound /> },
    ],
  },
  { path: "*", element: <NotFound /> },
]);
