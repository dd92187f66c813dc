/**
 * Workspace members and roles, and the invitations still pending (resend, revoke); also
 * where a new workspace is created. People join by accepting a mailed invitation.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Mail, Plus, UserPlus, Users } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api/client";
import type { Invitation, Member, WorkspaceRole } from "../../api/types";
import { dateTime } from "../../lib/format";
import { sessionKey, useSession, useWorkspace } from "../../app/session";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { Badge, EmptyState, ErrorMessage } from "../../ui/feedback";
import { Field, Input, Select } from "../../ui/form";
import { Card, PageHeader } from "../../ui/layout";
import { QueryState } from "../../ui/query-state";
import { useToast } from "../../ui/toast";

const roles: { value: WorkspaceRole; label: string; help: string }[] = [
  { value: "OWNER", label: "Owner", help: "Everything, including members and billing" },
  { value: "ADMIN", label: "Admin", help: "Manage bots, keys and settings" },
  { value: "MEMBER", label: "Member", help: "Read-only access" },
];

export function MembersPage() {
  const { workspaceId, workspace, canManage } = useWorkspace();
  const session = useSession();
  const queryClient = useQueryClient();
  const notify = useToast();
  const key = ["members", workspaceId];
  const members = useQuery({ queryKey: key, queryFn: () => api.workspaces.members(workspaceId) });
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<WorkspaceRole>("MEMBER");
  const [newWorkspace, setNewWorkspace] = useState(false);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: key });
  const invitationsKey = ["invitations", workspaceId];
  const invitations = useQuery({ queryKey: invitationsKey, queryFn: () => api.workspaces.invitations(workspaceId), enabled: canManage });
  const refreshInvitations = () => queryClient.invalidateQueries({ queryKey: invitationsKey });
  const add = useMutation({
    mutationFn: () => api.workspaces.invite(workspaceId, { email: email.trim(), role }),
    onSuccess: async (invitation) => {
      notify(`Invitation sent to ${invitation.email}`, "success");
      setEmail("");
      await refreshInvitations();
    },
  });
  const resend = useMutation({
    mutationFn: (i: Invitation) => api.workspaces.resendInvitation(workspaceId, i.id),
    onSuccess: async (i) => {
      notify(`Invitation sent again to ${i.email}`, "success");
      await refreshInvitations();
    },
    onError: (e: Error) => notify(e.message, "error"),
  });
  const revoke = useMutation({
    mutationFn: (i: Invitation) => api.workspaces.revokeInvitation(workspaceId, i.id),
    onSuccess: async (_r, i) => {
      notify(`Invitation to ${i.email} revoked`, "success");
      await refreshInvitations();
    },
    onError: (e: Error) => notify(e.message, "error"),
  });
  const setMemberRole = useMutation({
    mutationFn: ({ m, r }: { m: Member; r: WorkspaceRole }) => api.workspaces.setRole(workspaceId, m.userId, r),
    onSuccess: invalidate,
    onError: (e: Error) => notify(e.message, "error"),
  });
  const remove = useMutation({
    mutationFn: (m: Member) => api.workspaces.removeMember(workspaceId, m.userId),
    onSuccess: async (_r, m) => {
      notify(`${m.email} removed`, "success");
      await invalidate();
    },
    onError: (e: Error) => notify(e.message, "error"),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (email.trim()) add.mutate();
  };
  const me = session.data?.user.id;
  return (
    <>
      <PageHeader
        title="Members"
        description={`People with access to ${workspace?.name ?? "this workspace"}.`}
        actions={
          <Button icon={<Plus aria-hidden="true" />} onClick={() => setNewWorkspace(true)}>
            New workspace
          </Button>
        }
      />
      <div className="stack lg">
        {canManage && (
          <Card title="Invite a member">
            <form className="row wrap" style={{ alignItems: "flex-end" }} onSubmit={submit}>
              <Field label="Email" className="grow">
                <Input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required placeholder="colleague@company.com" />
              </Field>
              <Field label="Role">
                <Select value={role} onChange={(e) => setRole(e.target.value as WorkspaceRole)}>
                  {roles.map((r) => (
                    <option key={r.value} value={r.value}>
                      {r.label}
                    </option>
                  ))}
                </Select>
              </Field>
              <Button type="submit" variant="primary" icon={<UserPlus aria-hidden="true" />} loading={add.isPending}>
                Send invitation
              </Button>
            </form>
            <p className="small muted" style={{ marginTop: 8 }}>
              They get a link by e-mail and join once they accept it, signed in with this address.
            </p>
            <div style={{ marginTop: 10 }}>
              <ErrorMessage error={add.error} />
            </div>
          </Card>
        )}
        {canManage && (invitations.error || (invitations.data?.length ?? 0) > 0) && (
          <Card title="Pending invitations" padded={false}>
            {invitations.error ? (
              <div className="card-body">
                <ErrorMessage error={invitations.error} title="Could not load invitations" />
              </div>
            ) : (
              <table className="table" aria-label="Pending invitations">
                <thead>
                  <tr>
                    <th scope="col">Address</th>
                    <th scope="col">Role</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {invitations.data!.map((i) => (
                    <tr key={i.id} data-invitation={i.email}>
                      <td>
                        <div className="row">
                          <Mail aria-hidden="true" size={16} />
                          <span>{i.email}</span>
                        </div>
                      </td>
                      <td>{roles.find((r) => r.value === i.role)?.label}</td>
                      <td>{i.expired ? <Badge tone="warning">Expired</Badge> : dateTime(i.expiresAt)}</td>
                      <td style={{ textAlign: "right" }}>
                        <div className="row" style={{ justifyContent: "flex-end" }}>
                          <Button size="sm" onClick={() => resend.mutate(i)} loading={resend.isPending && resend.variables?.id === i.id}>
                            Resend
                          </Button>
                          <Button size="sm" variant="danger" onClick={() => revoke.mutate(i)} loading={revoke.isPending && revoke.variables?.id === i.id}>
                            Revoke
                          </Button>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        )}
        <Card padded={false}>
          <QueryState
            query={members}
            errorTitle="Could not load members"
            empty={<EmptyState icon={<Users aria-hidden="true" />} title="No members" />}
          >
            {(list) => (
              <table className="table" aria-label="Members">
                <thead>
                  <tr>
                    <th scope="col">Member</th>
                    <th scope="col">Role</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((m) => (
                    <tr key={m.userId}>
                      <td>
                        <div className="row">
                          <span className="avatar-circle" aria-hidden="true">
                            {(m.name || m.email).slice(0, 1).toUpperCase()}
                          </span>
                          <div className="stack" style={{ gap: 0 }}>
                            <strong>
                              {m.name || m.email}
                              {m.userId === me ? " (you)" : ""}
                            </strong>
                            <span className="small muted">{m.email}</span>
                          </div>
                        </div>
                      </td>
                      <td style={{ width: 200 }}>
                        {canManage ? (
                          <Select aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => setMemberRole.mutate({ m, r: e.target.value as WorkspaceRole })}>
                            {roles.map((r) => (
                              <option key={r.value} value={r.value}>
                                {r.label}
                              </option>
                            ))}
                          </Select>
                        ) : (
                          roles.find((r) => r.value === m.role)?.label
                        )}
                      </td>
                      <td style={{ textAlign: "right" }}>
                        {(canManage || m.userId === me) && (
                          <Button size="sm" variant="danger" onClick={() => remove.mutate(m)}>
                            {m.userId === me ? "Leave" : "Remove"}
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </QueryState>
        </Card>
      </div>
      <NewWorkspaceDialog open={newWorkspace} onClose={() => setNewWorkspace(false)} />
    </>
  );
}

function NewWorkspaceDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const [name, setName] = useState("");
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: () => api.workspaces.create(name.trim()),
    onSuccess: async (ws) => {
      await queryClient.invalidateQueries({ queryKey: sessionKey });
      setName("");
      onClose();
      navigate(`/w/${ws.id}/bots`);
    },
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create a workspace"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="create-ws" loading={create.isPending} disabled={!name.trim()}>
            Create
          </Button>
        </>
      }
    >
      <form
        id="create-ws"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) create.mutate();
        }}
        className="stack"
      >
        <Field label="Workspace name" hint="Bots, documents, keys and members belong to one workspace.">
          <Input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </Field>
        <ErrorMessage error={create.error} />
      </form>
    </Dialog>
  );
}
