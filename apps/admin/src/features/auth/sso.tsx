/**
 * Signing in with an identity provider. "Continue with …" asks the API where to send the
 * browser (the API keeps the PKCE verifier and nonce, and binds the sign-in to this
 * browser with a cookie), then leaves for the provider. The provider sends the browser
 * back to /auth/callback/<provider>; that page hands the answer (its query string) to
 * the API at once and removes it from the address bar.
 *
 * When the provider's address already has an account, nothing is linked yet: the person
 * signs in the usual way and then confirms linking (/link-login).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Link2 } from "lucide-react";
import { useEffect, useState } from "react";
import { Link, Navigate, useLocation, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { ApiError } from "../../api/http";
import type { SignInProvider } from "../../api/types";
import { sessionKey, useSession } from "../../app/session";
import { Button } from "../../ui/button";
import { Alert, ErrorMessage, Loading } from "../../ui/feedback";
import { AuthLayout, pendingInvitation, pendingLink, useAuthSuccess } from "./auth-shared";

export const signInOptionsKey = ["sign-in-options"] as const;

/** Password on or off, and the configured providers (the public /auth/providers). */
export function useSignInOptions() {
  return useQuery({ queryKey: signInOptionsKey, queryFn: api.auth.providers, staleTime: 5 * 60_000 });
}

/** Leaves for the provider; resolves only if that fails (the error is shown). */
export function useStartSso() {
  const start = useMutation({
    mutationFn: async ({ provider, link, returnTo }: { provider: string; link?: boolean; returnTo?: string }) => {
      window.location.assign(await api.auth.startSso(provider, { link, returnTo }));
      // The page is being replaced; keep the button busy until it is.
      await new Promise(() => {});
    },
  });
  const { reset } = start;
  useEffect(() => {
    // Back from the provider with the browser's back button (page restored from cache).
    const restored = (event: PageTransitionEvent) => {
      if (event.persisted) reset();
    };
    window.addEventListener("pageshow", restored);
    return () => window.removeEventListener("pageshow", restored);
  }, [reset]);
  return start;
}

/** "Continue with …" for each configured provider, on the sign-in and sign-up pages. */
export function SsoButtons({ providers, returnTo }: { providers: SignInProvider[]; returnTo?: string }) {
  const start = useStartSso();
  if (providers.length === 0) return null;
  return (
    <div className="stack sm">
      <ErrorMessage error={start.error} />
      {providers.map((p) => (
        <Button
          key={p.id}
          icon={<KeyRound aria-hidden="true" />}
          loading={start.isPending && start.variables?.provider === p.id}
          disabled={start.isPending}
          onClick={() => start.mutate({ provider: p.id, returnTo })}
        >
          Continue with {p.name}
        </Button>
      ))}
    </div>
  );
}

/** The answer of one callback, shared by React's double-mounting in development: a code works once. */
const callbacks = new Map<string, ReturnType<typeof api.auth.completeSso>>();

/** /auth/callback/:provider: the provider sent the browser back here. */
export function SsoCallbackPage() {
  const { provider = "" } = useParams();
  const [params] = useState(() => {
    const query = window.location.search.slice(1);
    if (query) window.history.replaceState(window.history.state, "", window.location.pathname);
    return query;
  });
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const done = useAuthSuccess();
  const session = useSession();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!params) return;
    let current = true;
    let pending = callbacks.get(params);
    if (!pending) {
      pending = api.auth.completeSso(provider, params);
      callbacks.set(params, pending);
    }
    pending.then(
      async (outcome) => {
        if (!current) return;
        queryClient.setQueryData(sessionKey, outcome.session);
        if (outcome.result === "linked") {
          await queryClient.invalidateQueries({ queryKey: ["sign-in-methods"] });
          navigate(outcome.returnTo ?? "/", { replace: true, state: { notice: `Your ${outcome.provider.name} login is linked: you can sign in with it from now on.` } });
        } else if (outcome.returnTo && !pendingInvitation.get() && !pendingLink.get()) {
          navigate(outcome.returnTo, { replace: true });
        } else {
          await done();
        }
      },
      (failure: unknown) => {
        if (current) setError(failure);
      },
    );
    return () => {
      current = false;
    };
  }, [params, provider]);
  if (!params) {
    return (
      <CallbackProblem title="This sign-in link is incomplete">
        <p className="muted">The provider sent you back without an answer. Start the sign-in again.</p>
        <Link className="btn primary" to="/login">
          Back to sign in
        </Link>
      </CallbackProblem>
    );
  }
  if (!error) return <Loading label="Signing you in…" />;
  if (error instanceof ApiError && error.code === "SSO_LINK_REQUIRED") {
    pendingLink.set(true);
    return (
      <CallbackProblem title="You already have an account">
        <p className="muted">{error.message}.</p>
        {session.data ? (
          <Link className="btn primary" to="/link-login">
            Continue
          </Link>
        ) : (
          <Link className="btn primary" to="/login">
            Sign in to your account
          </Link>
        )}
      </CallbackProblem>
    );
  }
  const unavailable = error instanceof ApiError && error.status === 503;
  return (
    <CallbackProblem title={unavailable ? "The sign-in service is unavailable" : "Sign-in failed"}>
      <ErrorMessage error={error} />
      <Link className="btn primary" to="/login">
        {unavailable ? "Try again" : "Back to sign in"}
      </Link>
    </CallbackProblem>
  );
}

function CallbackProblem({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <AuthLayout>
      <div className="auth-form">
        <h1>{title}</h1>
        {children}
      </div>
    </AuthLayout>
  );
}

/** /link-login: the signed-in owner of the address links the waiting provider login, or declines. */
export function LinkLoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const waiting = useQuery({ queryKey: ["pending-link"], queryFn: api.auth.pendingLink, retry: false, enabled: !!session.data });
  const leave = (notice?: string) => {
    pendingLink.set(false);
    void queryClient.invalidateQueries({ queryKey: ["sign-in-methods"] });
    navigate("/", { replace: true, state: notice ? { notice } : null });
  };
  const confirm = useMutation({ mutationFn: api.auth.confirmLink, onSuccess: () => leave(`Your ${waiting.data?.provider.name ?? ""} login is linked.`) });
  const discard = useMutation({ mutationFn: api.auth.discardLink, onSettled: () => leave() });
  if (session.isPending) return <Loading />;
  if (!session.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return (
    <AuthLayout>
      <div className="auth-form">
        <div className="stack sm">
          <Link2 aria-hidden="true" size={32} />
          <h1>Link a login to your account</h1>
        </div>
        {waiting.isPending ? (
          <Loading />
        ) : waiting.error ? (
          <>
            <Alert tone="info">Nothing is waiting to be linked any more (it expires after 10 minutes). Start again from your account settings.</Alert>
            <Button variant="primary" onClick={() => leave()}>
              Go to Docent
            </Button>
          </>
        ) : (
          <>
            <p className="muted">
              You signed in with {waiting.data.provider.name} as <strong>{waiting.data.email}</strong>, the address of this account. Link it, and you can sign in
              with {waiting.data.provider.name} from now on.
            </p>
            <ErrorMessage error={confirm.error} />
            <Button variant="primary" loading={confirm.isPending} onClick={() => confirm.mutate()}>
              Link {waiting.data.provider.name}
            </Button>
            <Button loading={discard.isPending} onClick={() => discard.mutate()}>
              Not now
            </Button>
            <p className="muted small">Signed in as {session.data.user.email}.</p>
          </>
        )}
      </div>
    </AuthLayout>
  );
}
