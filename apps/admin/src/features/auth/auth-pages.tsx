/** Sign up and log in. On success the session is cached and the user lands in their workspace. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { BookOpenCheck, Quote, ShieldCheck, Sparkles } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router";
import { api } from "../../api/client";
import { preferredWorkspace, sessionKey, useSession } from "../../app/session";
import { ThemeToggle } from "../../app/theme";
import { Button } from "../../ui/button";
import { ErrorMessage, Loading } from "../../ui/feedback";
import { Field, Input } from "../../ui/form";

/** Mirrors the API's password rule (contracts `passwordSchema`), so the form says it before the server does. */
const MIN_PASSWORD = 10;

function AuthLayout({ children }: { children: React.ReactNode }) {
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

function useAuthSuccess() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  return async () => {
    const session = await queryClient.fetchQuery({ queryKey: sessionKey, queryFn: api.auth.me, staleTime: 0 });
    const from = (location.state as { from?: string } | null)?.from;
    const ws = session ? preferredWorkspace(session.workspaces) : undefined;
    navigate(from && from !== "/" ? from : ws ? `/w/${ws.id}/bots` : "/", { replace: true });
  };
}

export function LoginPage() {
  const session = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const done = useAuthSuccess();
  const login = useMutation({ mutationFn: api.auth.login, onSuccess: done });
  if (session.isPending) return <Loading />;
  if (session.data) return <Navigate to="/" replace />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email, password });
  };
  return (
    <AuthLayout>
      <form className="auth-form" onSubmit={submit} noValidate={false}>
        <div className="stack sm">
          <h1>Welcome back</h1>
          <p className="muted">Log in to manage your bots.</p>
        </div>
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
  const done = useAuthSuccess();
  const signup = useMutation({ mutationFn: api.auth.signup, onSuccess: done });
  if (session.isPending) return <Loading />;
  if (session.data) return <Navigate to="/" replace />;
  const tooShort = password.length > 0 && password.length < MIN_PASSWORD;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (tooShort) return;
    signup.mutate({ name, email, password });
  };
  return (
    <AuthLayout>
      <form className="auth-form" onSubmit={submit}>
        <div className="stack sm">
          <h1>Create your account</h1>
          <p className="muted">A personal workspace is created for you.</p>
        </div>
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
        <p className="muted small">
          Already have an account? <Link to="/login">Log in</Link>
        </p>
      </form>
    </AuthLayout>
  );
}
