/**
 * Platform administration: the plans every workspace works within. Create a plan, edit
 * its limits, hide it from the public list, make it the one new workspaces start on. A
 * limit lowered under what workspaces already use is saved, and the workspaces now over
 * it are listed.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Layers, Plus } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api } from "../../api/client";
import type { AdminPlan, PlanChangeResult } from "../../api/types";
import { number } from "../../lib/format";
import { schemaResolver } from "../../lib/schema-form";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { Alert, Badge, EmptyState, ErrorMessage } from "../../ui/feedback";
import { Checkbox, Field, Input, Textarea } from "../../ui/form";
import { Card, PageHeader } from "../../ui/layout";
import { QueryState } from "../../ui/query-state";
import { useToast } from "../../ui/toast";
import { PlatformOnly } from "./platform-only";
import { boundFields, formFromPlan, newPlanFormSchema, planBody, planFormSchema, type PlanFormState, type PlanFormValues, quotaFields } from "./plan-form";

export const plansKey = ["admin", "plans"] as const;
const limit = (n: number | null, unit = "") => (n === null ? "No limit" : `${number(n)}${unit}`);

export function PlansPage() {
  return (
    <PlatformOnly>
      <Plans />
    </PlatformOnly>
  );
}

function Plans() {
  const plans = useQuery({ queryKey: plansKey, queryFn: api.admin.plans });
  const [editing, setEditing] = useState<AdminPlan | "new" | null>(null);
  const [report, setReport] = useState<PlanChangeResult | null>(null);
  const action = (
    <Button variant="primary" icon={<Plus aria-hidden="true" />} onClick={() => setEditing("new")}>
      New plan
    </Button>
  );
  return (
    <>
      <PageHeader
        title="Plans"
        description="The limits each workspace works within. Changes apply at once. A limit lowered below what a workspace already uses keeps what it has and stops it adding more."
        actions={action}
      />
      {report && report.workspacesOverLimit.total > 0 && (
        <div style={{ marginBottom: 18 }} data-testid="over-limit-report">
          <Alert
            tone="warning"
            title={`${report.workspacesOverLimit.total} ${report.workspacesOverLimit.total === 1 ? "workspace is" : "workspaces are"} now over the ${report.plan.name} plan`}
          >
            <ul style={{ margin: "4px 0 0", paddingLeft: 18 }}>
              {report.workspacesOverLimit.items.map((w) => (
                <li key={w.workspaceId}>
                  <strong>{w.workspaceName}</strong>: {w.over.map((o) => o.message).join("; ")}
                </li>
              ))}
            </ul>
          </Alert>
        </div>
      )}
      <Card padded={false}>
        <QueryState
          query={plans}
          errorTitle="Could not load the plans"
          empty={<EmptyState icon={<Layers aria-hidden="true" />} title="No plans" action={action} />}
        >
          {(list) => (
            <div className="table-wrap">
              <table className="table" aria-label="Plans">
                <thead>
                  <tr>
                    <th scope="col">Plan</th>
                    <th scope="col">Bots</th>
                    <th scope="col">Documents per bot</th>
                    <th scope="col">Storage</th>
                    <th scope="col">Questions / month</th>
                    <th scope="col">Searches / month</th>
                    <th scope="col">Workspaces</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((p) => (
                    <tr key={p.id} data-plan={p.code}>
                      <td>
                        <div className="row wrap" style={{ gap: 6 }}>
                          <strong>{p.name}</strong>
                          <Badge plain>{p.code}</Badge>
                          {p.isDefault && <Badge tone="primary">Default</Badge>}
                          {!p.isActive && <Badge tone="warning">Not offered</Badge>}
                        </div>
                      </td>
                      <td>{limit(p.maxBots)}</td>
                      <td>{limit(p.maxDocumentsPerBot)}</td>
                      <td>{limit(p.maxTotalDocumentStorageGb, " GB")}</td>
                      <td>{limit(p.maxQueriesPerMonth)}</td>
                      <td>{limit(p.maxRetrievalsPerMonth)}</td>
                      <td>{number(p.workspaceCount)}</td>
                      <td style={{ textAlign: "right" }}>
                        <Button size="sm" aria-label={`Edit ${p.name}`} onClick={() => setEditing(p)}>
                          Edit
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
      </Card>
      <PlanDialog
        key={editing === null ? "closed" : editing === "new" ? "new" : editing.id}
        plan={editing}
        onClose={() => setEditing(null)}
        onSaved={(result) => {
          setEditing(null);
          setReport(result);
        }}
      />
    </>
  );
}

function PlanDialog({ plan, onClose, onSaved }: { plan: AdminPlan | "new" | null; onClose(): void; onSaved(result: PlanChangeResult | null): void }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const existing = plan !== null && plan !== "new" ? plan : null;
  const { register, handleSubmit, formState: { errors } } = useForm<PlanFormState, unknown, PlanFormValues>({
    resolver: schemaResolver(existing ? planFormSchema : newPlanFormSchema),
    defaultValues: formFromPlan(existing),
  });
  const save = useMutation({
    mutationFn: async (values: PlanFormValues): Promise<PlanChangeResult | null> => {
      const body = planBody(values);
      const makeDefault = values.isDefault && !existing?.isDefault ? { isDefault: true as const } : {};
      if (existing) return api.admin.updatePlan(existing.id, { ...body, ...makeDefault });
      await api.admin.createPlan({ ...body, code: values.code, ...makeDefault });
      return null;
    },
    onSuccess: async (result, values) => {
      notify(existing ? `Plan “${values.name}” saved` : `Plan “${values.name}” created`, "success");
      await queryClient.invalidateQueries({ queryKey: ["admin"] });
      onSaved(result);
    },
  });
  return (
    <Dialog
      open={plan !== null}
      onClose={onClose}
      wide
      title={existing ? `Edit the ${existing.name} plan` : "New plan"}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="plan-form" loading={save.isPending}>
            {existing ? "Save plan" : "Create plan"}
          </Button>
        </>
      }
    >
      <form id="plan-form" className="stack" onSubmit={handleSubmit((values) => save.mutate(values))} noValidate>
        <div className="grid-2">
          <Field label="Name" error={errors.name?.message}>
            <Input {...register("name")} required maxLength={100} />
          </Field>
          {existing ? (
            <Field label="Code" hint="A plan's code never changes.">
              <Input {...register("code")} readOnly />
            </Field>
          ) : (
            <Field label="Code" hint="Lower-case letters, digits and dashes, e.g. team-plus. It never changes." error={errors.code?.message}>
              <Input {...register("code")} required maxLength={32} />
            </Field>
          )}
        </div>
        <Field label="Description" error={errors.description?.message}>
          <Textarea rows={2} {...register("description")} maxLength={500} />
        </Field>
        <Field label="Price per month" hint="Shown to customers; Docent bills nothing itself." error={errors.priceMonthly?.message}>
          <Input {...register("priceMonthly")} inputMode="decimal" />
        </Field>
        <h3 style={{ fontSize: 14 }}>Limits</h3>
        <p className="small muted" style={{ marginTop: -8 }}>
          Leave a field empty for no limit.
        </p>
        <div className="grid-2">
          {quotaFields.map((f) => (
            <Field key={f.key} label={f.label} error={errors.limits?.[f.key]?.message}>
              <Input {...register(`limits.${f.key}`)} inputMode="decimal" placeholder="No limit" />
            </Field>
          ))}
        </div>
        <h3 style={{ fontSize: 14 }}>Per document</h3>
        <p className="small muted" style={{ marginTop: -8 }}>
          Always set: they keep one oversized or malformed file from holding a worker.
        </p>
        <div className="grid-2">
          {boundFields.map((f) => (
            <Field key={f.key} label={f.label} error={errors.limits?.[f.key]?.message}>
              <Input {...register(`limits.${f.key}`)} inputMode="numeric" />
            </Field>
          ))}
        </div>
        <Checkbox label="Retrieval tuning (advanced RAG settings)" {...register("allowAdvancedRagConfig")} />
        <Checkbox label="Offered (listed as an available plan)" {...register("isActive")} />
        <Checkbox label="New workspaces start on this plan" {...register("isDefault")} disabled={existing?.isDefault} />
        <ErrorMessage error={save.error} />
      </form>
    </Dialog>
  );
}
