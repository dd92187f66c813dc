/**
 * Platform administration: every workspace of the installation with its owner, size and
 * plan, and moving a workspace to another plan (what it then uses beyond the new plan is
 * shown at once).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Building2 } from "lucide-react";
import { useState } from "react";
import { api } from "../../api/client";
import type { AdminWorkspace, PlanUsage } from "../../api/types";
import { dateTime, number } from "../../lib/format";
import { Alert, EmptyState } from "../../ui/feedback";
import { Field, Input, Select } from "../../ui/form";
import { Card, PageHeader } from "../../ui/layout";
import { QueryState } from "../../ui/query-state";
import { useToast } from "../../ui/toast";
import { PlatformOnly } from "./platform-only";
import { plansKey } from "./plans-page";

export function WorkspacesPage() {
  return (
    <PlatformOnly>
      <Workspaces />
    </PlatformOnly>
  );
}

function Workspaces() {
  const queryClient = useQueryClient();
  const notify = useToast();
  const [search, setSearch] = useState("");
  const query = search.trim();
  const workspaces = useQuery({
    queryKey: ["admin", "workspaces", query],
    queryFn: () => api.admin.workspaces({ limit: 100, ...(query ? { search: query } : {}) }),
  });
  const plans = useQuery({ queryKey: plansKey, queryFn: api.admin.plans });
  const [moved, setMoved] = useState<{ workspace: AdminWorkspace; usage: PlanUsage } | null>(null);
  const move = useMutation({
    mutationFn: async ({ workspace, planId }: { workspace: AdminWorkspace; planId: string }) => ({
      workspace,
      usage: await api.admin.setWorkspacePlan(workspace.id, planId),
    }),
    onSuccess: async (result) => {
      notify(`Moved “${result.workspace.name}” to the ${result.usage.plan.name} plan`, "success");
      setMoved(result);
      await queryClient.invalidateQueries({ queryKey: ["admin"] });
    },
    onError: (e: Error) => notify(e.message, "error"),
  });
  return (
    <>
      <PageHeader title="All workspaces" description="Every workspace of this installation and the plan it is on." />
      {moved && moved.usage.overLimits.length > 0 && (
        <div style={{ marginBottom: 18 }} data-testid="moved-over-limit">
          <Alert tone="warning" title={`“${moved.workspace.name}” uses more than the ${moved.usage.plan.name} plan allows`}>
            <ul style={{ margin: "4px 0 0", paddingLeft: 18 }}>
              {moved.usage.overLimits.map((o) => (
                <li key={o.limit}>{o.message}</li>
              ))}
            </ul>
            It keeps what it has; new bots, documents, questions or searches past a limit are refused.
          </Alert>
        </div>
      )}
      <div style={{ maxWidth: 360, marginBottom: 16 }}>
        <Field label="Search by name">
          <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </Field>
      </div>
      <Card padded={false}>
        <QueryState
          query={workspaces}
          errorTitle="Could not load the workspaces"
          isEmpty={(page) => page.items.length === 0}
          empty={<EmptyState icon={<Building2 aria-hidden="true" />} title="No workspaces found" />}
        >
          {(page) => (
            <div className="table-wrap">
              <table className="table" aria-label="All workspaces">
                <thead>
                  <tr>
                    <th scope="col">Workspace</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Members</th>
                    <th scope="col">Bots</th>
                    <th scope="col">Created</th>
                    <th scope="col">Plan</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((w) => (
                    <tr key={w.id} data-workspace={w.id}>
                      <td>
                        <strong>{w.name}</strong>
                      </td>
                      <td className="muted">{w.ownerEmail ?? "—"}</td>
                      <td>{number(w.memberCount)}</td>
                      <td>{number(w.botCount)}</td>
                      <td className="muted">{dateTime(w.createdAt)}</td>
                      <td>
                        <Select
                          aria-label={`Plan of ${w.name}`}
                          value={w.plan?.id ?? ""}
                          disabled={move.isPending || !plans.data}
                          onChange={(e) => move.mutate({ workspace: w, planId: e.target.value })}
                        >
                          {!w.plan && <option value="">Default plan</option>}
                          {plans.data?.map((p) => (
                            <option key={p.id} value={p.id}>
                              {p.name}
                            </option>
                          ))}
                        </Select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {page.total > page.items.length && (
                <p className="small muted" style={{ padding: "10px 16px" }}>
                  Showing {page.items.length} of {number(page.total)}; search to find others.
                </p>
              )}
            </div>
          )}
        </QueryState>
      </Card>
    </>
  );
}
