/**
 * The signed-in user's own settings: the ways they can sign in. Linked provider logins
 * and the password are listed with when they were last used; another provider is linked
 * by signing in with it from here; one is removed unless it is the last way in (the API
 * says which are removable). An account created with a provider can add a password
 * through the reset link mailed to its address.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Link2, Link2Off, Mail } from "lucide-react";
import { useLocation } from "react-router";
import { api } from "../../api/client";
import type { SignInMethod } from "../../api/types";
import { useSession } from "../../app/session";
import { relativeTime } from "../../lib/format";
import { Button } from "../../ui/button";
import { Alert, Badge, ErrorMessage, Loading } from "../../ui/feedback";
import { Card, PageHeader } from "../../ui/layout";
import { useToast } from "../../ui/toast";
import { useSignInOptions, useStartSso } from "../auth/sso";

export const methodsKey = ["sign-in-methods"] as const;

export function AccountPage() {
  const session = useSession();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const queryClient = useQueryClient();
  const notify = useToast();
  const methods = useQuery({ queryKey: methodsKey, queryFn: api.auth.methods });
  const options = useSignInOptions();
  const start = useStartSso();
  const remove = useMutation({
    mutationFn: (method: SignInMethod) => api.auth.removeMethod(method.id),
    onSuccess: async (_, method) => {
      await queryClient.invalidateQueries({ queryKey: methodsKey });
      notify(method.provider === "email" ? "Password removed" : `${method.name} unlinked`, "success");
    },
  });
  const addPassword = useMutation({ mutationFn: () => api.auth.requestPasswordReset(session.data!.user.email) });
  if (methods.isPending || options.isPending || !session.data) return <Loading />;
  const linked = new Set((methods.data ?? []).map((m) => m.providerId));
  const linkable = (options.data?.providers ?? []).filter((p) => !linked.has(p.id));
  const hasPassword = linked.has("email");
  return (
    <>
      <PageHeader title="Your account" description={`Signed in as ${session.data.user.email}.`} />
      <div className="stack lg" style={{ maxWidth: 760 }}>
        {notice && <Alert tone="success">{notice}</Alert>}
        <Card title="Ways to sign in">
          {methods.error ? (
            <ErrorMessage error={methods.error} title="Could not load your sign-in methods" />
          ) : (
            <div className="stack">
              <ErrorMessage error={remove.error} />
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th>Method</th>
                      <th>Address</th>
                      <th style={{ whiteSpace: "nowrap" }}>Last used</th>
                      <th aria-label="Actions" />
                    </tr>
                  </thead>
                  <tbody>
                    {(methods.data ?? []).map((m) => (
                      <tr key={m.id}>
                        <td>
                          <span className="row" style={{ gap: 8 }}>
                            {m.provider === "email" ? <Mail aria-hidden="true" size={16} /> : <KeyRound aria-hidden="true" size={16} />}
                            {m.name}
                            {!m.usable && (
                              <Badge tone="warning">{m.provider === "email" ? "password sign-in is off" : "provider no longer configured"}</Badge>
                            )}
                          </span>
                        </td>
                        <td>{m.email ?? "—"}</td>
                        <td>{m.lastUsedAt ? relativeTime(m.lastUsedAt) : "—"}</td>
                        <td style={{ textAlign: "right" }}>
                          <Button
                            size="sm"
                            variant="ghost"
                            icon={<Link2Off aria-hidden="true" />}
                            disabled={!m.removable}
                            title={m.removable ? undefined : "This is your last way to sign in: link another one first"}
                            loading={remove.isPending && remove.variables?.id === m.id}
                            onClick={() => remove.mutate(m)}
                          >
                            {m.provider === "email" ? "Remove password" : "Unlink"}
                          </Button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {(methods.data ?? []).every((m) => !m.removable) && (
                <p className="muted small">Your only way to sign in cannot be removed. Link another one first.</p>
              )}
            </div>
          )}
        </Card>
        {(linkable.length > 0 || (!hasPassword && options.data?.password)) && (
          <Card title="Add a way to sign in">
            <div className="stack">
              <ErrorMessage error={start.error} />
              {linkable.map((p) => (
                <div key={p.id}>
                  <Button
                    icon={<Link2 aria-hidden="true" />}
                    loading={start.isPending && start.variables?.provider === p.id}
                    disabled={start.isPending}
                    onClick={() => start.mutate({ provider: p.id, link: true, returnTo: location.pathname })}
                  >
                    Link {p.name}
                  </Button>
                </div>
              ))}
              {!hasPassword && options.data?.password && (
                <div className="stack sm">
                  {addPassword.isSuccess ? (
                    <Alert tone="success">A link to choose a password is on its way to {session.data.user.email}.</Alert>
                  ) : (
                    <div>
                      <Button icon={<Mail aria-hidden="true" />} loading={addPassword.isPending} onClick={() => addPassword.mutate()}>
                        Add a password
                      </Button>
                    </div>
                  )}
                  <ErrorMessage error={addPassword.error} />
                  <p className="muted small">We mail you a link to choose one; it works once, for an hour.</p>
                </div>
              )}
            </div>
          </Card>
        )}
      </div>
    </>
  );
}
