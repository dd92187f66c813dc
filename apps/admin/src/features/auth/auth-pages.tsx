/**
 * Sign up, log in, and the pages mailed links open: confirm an address, reset a password,
 * accept an invitation. Sign-up only mails a confirmation link; the account exists once
 * the link is followed (with the password chosen), and then the user lands in their
 * workspace. Tokens arrive in the URL fragment (`#token=...`, never sent to a server) and
 * are cleared from the address bar as soon as they are read. Both pages also offer
 * "Continue with …" for the identity providers the operator configured (see sso.tsx),
 * and only those when password sign-in is turned off.
 */
import { passwordSchema } from "@docent/contracts/auth";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MailCheck } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router";
import { api } from "../../api/client";
import { ApiError } from "../../api/http";
import { rememberWorkspace, sessionKey, useSession } from "../../app/session";
import { Button } from "../../ui/button";
import { Alert, ErrorMessage, Loading } from "../../ui/feedback";
import { Field, Input } from "../../ui/form";
import { AuthLayout, pendingInvitation, pendingLink, useAuthSuccess, waitingPage } from "./auth-shared";
import { SsoButtons, useSignInOptions } from "./sso";

/** The API's own password rule, so the form says it before the server does. */
const MIN_PASSWORD = passwordSchema.minLength ?? 1;

/** The `#token=` of a mailed link, read once; the fragment is then removed from the address bar. */
function useLinkToken(): string | null {
  const [token] = useState(() => {
    const value = new URLSearchParams(window.location.hash.slice(1)).get("token");
    if (value) window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    return value;
  });
  return token;
}

export function LoginPage() {
  const session = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const done = useAuthSuccess();
  const login = useMutation({ mutationFn: api.auth.login, onSuccess: done });
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const from = (location.state as { from?: string } | null)?.from;
  const options = useSignInOptions();
  if (session.isPending || options.isPending) return <Loading />;
  if (session.data) return <Navigate to={waitingPage() ?? "/"} replace />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email, password });
  };
  const passwordOn = options.data?.password ?? true;
  const providers = options.data?.providers ?? [];
  return (
    <AuthLayout>
      <form className="auth-form" onSubmit={submit} noValidate={false}>
        <div className="stack sm">
          <h1>Welcome back</h1>
          <p className="muted">Log in to manage your bots.</p>
        </div>
        {notice && <Alert tone="success">{notice}</Alert>}
        {pendingLink.get() && <Alert tone="info">Log in to your account to link the login you just used.</Alert>}
        <SsoButtons providers={providers} returnTo={from && from !== "/" ? from : undefined} />
        {passwordOn && providers.length > 0 && <div className="muted small">or with your e-mail address</div>}
        {passwordOn && (
          <>
            <ErrorMessage error={login.error} />
            <Field label="Email">
              <Input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </Field>
            <Field label="Password">
              <Input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
            <Button type="submit" variant="primary" loading={login.isPending}>
              Log in
            </Button>
            <p className="muted small">
              <Link to="/forgot-password">Forgot your password?</Link>
            </p>
          </>
        )}
        <p className="muted small">
          New to Docent? <Link to="/signup">Create an account</Link>
        </p>
      </form>
    </AuthLayout>
  );
}

export function SignupPage() {
  const session = useSession();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signup = useMutation({ mutationFn: api.auth.signup });
  const options = useSignInOptions();
  if (session.isPending || options.isPending) return <Loading />;
  if (session.data) return <Navigate to={waitingPage() ?? "/"} replace />;
  if (signup.isSuccess) {
    return (
      <AuthLayout>
        <div className="auth-form">
          <CheckInbox email={email}>
            Open the link in it to confirm your address and finish creating your account; you will be asked for the password you just chose. The
            link works for 24 hours.
          </CheckInbox>
          <p className="muted small">
            No mail after a few minutes? Look in your spam folder, or <Link to="/signup" onClick={() => signup.reset()}>sign up again</Link>.
          </p>
        </div>
      </AuthLayout>
    );
  }
  const tooShort = password.length > 0 && password.length < MIN_PASSWORD;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (tooShort) return;
    signup.mutate({ name, email, password });
  };
  const passwordOn = options.data?.password ?? true;
  const providers = options.data?.providers ?? [];
  return (
    <AuthLayout>
      <form className="auth-form" onSubmit={submit}>
        <div className="stack sm">
          <h1>Create your account</h1>
          <p className="muted">A personal workspace is created for you.</p>
        </div>
        <SsoButtons providers={providers} />
        {passwordOn && providers.length > 0 && <div className="muted small">or with your e-mail address</div>}
        {passwordOn && (
          <>
            <ErrorMessage error={signup.error} />
            <Field label="Name">
              <Input autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <Field label="Work email">
              <Input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </Field>
            <Field label="Password" hint={`At least ${MIN_PASSWORD} characters.`} error={tooShort ? `Use at least ${MIN_PASSWORD} characters.` : undefined}>
              <Input type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
            <Button type="submit" variant="primary" loading={signup.isPending}>
              Create account
            </Button>
          </>
        )}
        <p className="muted small">
          Already have an account? <Link to="/login">Log in</Link>
        </p>
      </form>
    </AuthLayout>
  );
}

function CheckInbox({ email, children }: { email: string; children: React.ReactNode }) {
  return (
    <div className="stack sm">
      <MailCheck aria-hidden="true" size={32} />
      <h1>Check your inbox</h1>
      <p className="muted">
        We sent a mail to <strong>{email}</strong>.
      </p>
      <p className="muted">{children}</p>
    </div>
  );
}

/** Opened from the confirmation mail: the password finishes sign-up (or verifies an existing account's address). */
export function VerifyEmailPage() {
  const token = useLinkToken();
  const [password, setPassword] = useState("");
  const done = useAuthSuccess();
  const verify = useMutation({ mutationFn: api.auth.verifyEmail, onSuccess: done });
  if (!token) return <MissingToken what="confirmation" retry={<Link to="/signup">Sign up again</Link>} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    verify.mutate({ token, password });
  };
  return (
    <AuthLayout>
      <form className="auth-form" onSubmit={submit}>
        <div className="stack sm">
          <h1>Confirm your address</h1>
          <p className="muted">Enter the password of your account (for a new account, the one you chose when signing up).</p>
        </div>
        <ErrorMessage error={verify.error} />
        <Field label="Password">
          <Input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <Button type="submit" variant="primary" loading={verify.isPending}>
          Confirm
        </Button>
      </form>
    </AuthLayout>
  );
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const request = useMutation({ mutationFn: () => api.auth.requestPasswordReset(email.trim()) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (email.trim()) request.mutate();
  };
  return (
    <AuthLayout>
      {request.isSuccess ? (
        <div className="auth-form">
          <CheckInbox email={email.trim()}>
            If an account uses this address, the mail has a link to choose a new password. It works once, for one hour.
          </CheckInbox>
          <p className="muted small">
            <Link to="/login">Back to log in</Link>
          </p>
        </div>
      ) : (
        <form className="auth-form" onSubmit={submit}>
          <div className="stack sm">
            <h1>Reset your password</h1>
            <p className="muted">We will mail you a link to choose a new one.</p>
          </div>
          <ErrorMessage error={request.error} />
          <Field label="Email">
            <Input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Button type="submit" variant="primary" loading={request.isPending}>
            Send the link
          </Button>
          <p className="muted small">
            <Link to="/login">Back to log in</Link>
          </p>
        </form>
      )}
    </AuthLayout>
  );
}

export function ResetPasswordPage() {
  const token = useLinkToken();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState("");
  const reset = useMutation({
    mutationFn: () => api.auth.resetPassword({ token: token!, password }),
    onSuccess: () => {
      // Every session ended, this browser's too.
      queryClient.setQueryData(sessionKey, null);
      navigate("/login", { replace: true, state: { notice: "Your password was changed. Log in with the new one." } });
    },
  });
  if (!token) return <MissingToken what="reset" retry={<Link to="/forgot-password">Ask for a new link</Link>} />;
  const tooShort = password.length > 0 && password.length < MIN_PASSWORD;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!tooShort) reset.mutate();
  };
  return (
    <AuthLayout>
      <form className="auth-form" onSubmit={submit}>
        <div className="stack sm">
          <h1>Choose a new password</h1>
          <p className="muted">Every session of your account is signed out.</p>
        </div>
        <ErrorMessage error={reset.error} />
        <Field label="New password" hint={`At least ${MIN_PASSWORD} characters.`} error={tooShort ? `Use at least ${MIN_PASSWORD} characters.` : undefined}>
          <Input type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <Button type="submit" variant="primary" loading={reset.isPending}>
          Set the new password
        </Button>
      </form>
    </AuthLayout>
  );
}

/**
 * Opened from an invitation mail. Shows what the invitation is for; signed in with the
 * invited (verified) address, the user accepts it; otherwise the link waits in the
 * browser while they log in or create their account.
 */
export function AcceptInvitationPage() {
  const linkToken = useLinkToken();
  const [token] = useState(() => {
    if (linkToken) pendingInvitation.set(linkToken);
    return linkToken ?? pendingInvitation.get();
  });
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const preview = useQuery({ queryKey: ["invitation", token], queryFn: () => api.invitations.preview(token!), enabled: !!token, retry: false });
  const accept = useMutation({
    mutationFn: () => api.invitations.accept(token!),
    onSuccess: async (joined) => {
      pendingInvitation.set(null);
      await queryClient.invalidateQueries({ queryKey: sessionKey });
      const id = joined.workspaceId;
      rememberWorkspace(id);
      navigate(`/w/${id}/bots`, { replace: true });
    },
  });
  const verification = useMutation({ mutationFn: api.auth.sendVerification });
  const logout = useMutation({
    mutationFn: api.auth.logout,
    onSettled: () => queryClient.setQueryData(sessionKey, null),
  });
  if (!token) return <MissingToken what="invitation" retry={<span>Ask the person who invited you to send it again.</span>} />;
  if (session.isPending || preview.isPending) return <Loading />;
  const forget = () => pendingInvitation.set(null);
  const code = accept.error instanceof ApiError ? accept.error.code : undefined;
  return (
    <AuthLayout>
      <div className="auth-form">
        {preview.error ? (
          <>
            <h1>Invitation</h1>
            <ErrorMessage error={preview.error} />
            <p className="muted small">
              <Link to="/" onClick={forget}>
                Go to Docent
              </Link>
            </p>
          </>
        ) : (
          <>
            <div className="stack sm">
              <h1>Join {preview.data!.workspaceName}</h1>
              <p className="muted">
                {preview.data!.invitedBy ?? "Someone"} invited <strong>{preview.data!.email}</strong> to the workspace as {preview.data!.role}.
              </p>
            </div>
            {session.data ? (
              <>
                <ErrorMessage error={accept.error} />
                {code === "EMAIL_NOT_VERIFIED" &&
                  (verification.isSuccess ? (
                    <Alert tone="success">{verification.data.message} Open it, then come back to this page.</Alert>
                  ) : (
                    <Button onClick={() => verification.mutate()} loading={verification.isPending}>
                      Send me a verification link
                    </Button>
                  ))}
                {code === "INVITATION_FOR_ANOTHER_ADDRESS" ? (
                  <Button onClick={() => logout.mutate()} loading={logout.isPending}>
                    Log out of {session.data.user.email}
                  </Button>
                ) : (
                  <Button variant="primary" onClick={() => accept.mutate()} loading={accept.isPending}>
                    Accept the invitation
                  </Button>
                )}
                <p className="muted small">Signed in as {session.data.user.email}.</p>
              </>
            ) : (
              <>
                <p className="muted">Log in with {preview.data!.email}, or create an account with it, to accept.</p>
                <Link className="btn primary" to="/login">
                  Log in
                </Link>
                <Link className="btn" to="/signup">
                  Create an account
                </Link>
              </>
            )}
          </>
        )}
      </div>
    </AuthLayout>
  );
}

function MissingToken({ what, retry }: { what: string; retry: React.ReactNode }) {
  return (
    <AuthLayout>
      <div className="auth-form">
        <h1>This link is incomplete</h1>
        <p className="muted">
          The {what} link has no token. Open it again from the mail, whole. {retry}
        </p>
      </div>
    </AuthLayout>
  );
}
