/**
 * What the sign-in pages (auth-pages.tsx) and the identity-provider flow (sso.tsx) share:
 * the page layout, the sign-ins that wait for a fresh login (an invitation to accept, a
 * provider login to link) and where a successful sign-in continues.
 */
import { useQueryClient } from "@tanstack/react-query";
import { BookOpenCheck, Quote, ShieldCheck, Sparkles } from "lucide-react";
import { useLocation, useNavigate } from "react-router";
import { api } from "../../api/client";
import { preferredWorkspace, sessionKey } from "../../app/session";
import { ThemeToggle } from "../../app/theme";

export function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="auth-page">
      <div className="auth-hero">
        <div className="brand" style={{ color: "#fff" }}>
          <span className="brand-mark" aria-hidden="true" style={{ background: "rgba(255,255,255,.2)" }}>
            D
          </span>
          Docent
        </div>
        <div>
          <h2>Turn your documents into an assistant your customers can trust.</h2>
          <p>Upload manuals, FAQs and policies. Docent answers questions from them, with citations a person can check.</p>
          <ul>
            <li>
              <BookOpenCheck aria-hidden="true" /> PDFs, Word, web pages, Markdown, CSV and JSON
            </li>
            <li>
              <Quote aria-hidden="true" /> Every answer cites its sources
            </li>
            <li>
              <Sparkles aria-hidden="true" /> Embed on your site with one script tag
            </li>
            <li>
              <ShieldCheck aria-hidden="true" /> Bring your own model and keys
            </li>
          </ul>
        </div>
        <div className="small" style={{ opacity: 0.7 }}>
          Open-source RAG chatbot platform
        </div>
      </div>
      <div className="auth-form-wrap">
        <div style={{ position: "absolute", top: 16, right: 16 }}>
          <ThemeToggle />
        </div>
        {children}
      </div>
    </div>
  );
}

/** An invitation link opened before signing in waits here until the user can accept it. */
const PENDING_INVITATION = "docent-invitation";
export const pendingInvitation = {
  get: () => {
    try {
      return localStorage.getItem(PENDING_INVITATION);
    } catch {
      return null;
    }
  },
  set: (token: string | null) => {
    try {
      if (token) localStorage.setItem(PENDING_INVITATION, token);
      else localStorage.removeItem(PENDING_INVITATION);
    } catch {
      /* storage unavailable: the link has to be opened again after signing in */
    }
  },
};

/** Set when a provider login waits for its account's owner to sign in and confirm the link. */
const PENDING_LINK = "docent-pending-link";
export const pendingLink = {
  get: () => {
    try {
      return sessionStorage.getItem(PENDING_LINK) !== null;
    } catch {
      return false;
    }
  },
  set: (waiting: boolean) => {
    try {
      if (waiting) sessionStorage.setItem(PENDING_LINK, "1");
      else sessionStorage.removeItem(PENDING_LINK);
    } catch {
      /* storage unavailable: the link offer is not shown after signing in */
    }
  },
};

/**
 * Where a fresh sign-in continues when something waits for it: a provider login to link,
 * or an invitation to accept. The sign-in pages send a signed-in visitor there too, so
 * whichever navigation happens first after signing in goes to the same place.
 */
export function waitingPage(): string | undefined {
  if (pendingLink.get()) return "/link-login";
  if (pendingInvitation.get()) return "/invitations/accept";
  return undefined;
}

export function useAuthSuccess() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  return async () => {
    const session = await queryClient.fetchQuery({ queryKey: sessionKey, queryFn: api.auth.me, staleTime: 0 });
    const waiting = waitingPage();
    if (waiting) {
      navigate(waiting, { replace: true });
      return;
    }
    const from = (location.state as { from?: string } | null)?.from;
    const ws = session ? preferredWorkspace(session.workspaces) : undefined;
    navigate(from && from !== "/" ? from : ws ? `/w/${ws.id}/bots` : "/", { replace: true });
  };
}
