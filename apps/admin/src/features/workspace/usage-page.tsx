/** The workspace's plan and how much of each limit is used. */
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import type { UsageMeter } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { bytes, number } from "../../lib/format";
import { Badge, ErrorMessage, Loading, ProgressBar } from "../../ui/feedback";
import { Card, PageHeader } from "../../ui/layout";

export function meterTone(m: UsageMeter): "success" | "danger" | undefined {
  if (m.limit === null || m.limit <= 0) return undefined;
  return m.used / m.limit >= 0.9 ? "danger" : undefined;
}

function Meter({ label, meter, format = number }: { label: string; meter: UsageMeter; format?: (n: number) => string }) {
  const pct = meter.limit ? (meter.used / meter.limit) * 100 : 0;
  const tone = meterTone(meter);
  return (
    <div className="stack sm meter">
      <div className="row">
        <strong>{label}</strong>
        <span className="spacer" />
        <span className="small muted">
          {meter.limit === null ? format(meter.used) : `${format(meter.used)} of ${format(meter.limit)}`}
        </span>
      </div>
      <ProgressBar value={meter.limit === null ? 0 : pct} {...(tone ? { tone } : {})} label={`${label}: ${Math.round(pct)}% used`} />
      {tone === "danger" && <span className="small" style={{ color: "var(--danger)" }}>Close to the limit. Upgrade the plan to avoid interruptions.</span>}
    </div>
  );
}

export function UsagePage() {
  const { workspaceId } = useWorkspace();
  const usage = useQuery({ queryKey: ["usage", workspaceId], queryFn: () => api.workspaces.usage(workspaceId) });
  return (
    <>
      <PageHeader title="Plan & usage" description="Limits reset at the start of each billing month." />
      {usage.isPending ? (
        <Loading />
      ) : usage.error ? (
        <ErrorMessage error={usage.error} title="Could not load usage" />
      ) : (
        <div className="stack lg" style={{ maxWidth: 860 }}>
          <Card>
            <div className="row">
              <div className="stack sm" style={{ flex: 1 }}>
                <span className="small muted">Current plan</span>
                <h2>
                  {usage.data.plan.name} <Badge tone="primary">{usage.data.plan.code}</Badge>
                </h2>
                {usage.data.plan.description && <span className="small muted">{usage.data.plan.description}</span>}
              </div>
              <span className="small muted">Monthly counters since {new Date(`${usage.data.periodStart.slice(0, 10)}T00:00:00Z`).toLocaleDateString(undefined, { dateStyle: "medium" })}</span>
            </div>
          </Card>
          <Card title="Usage">
            <div className="stack lg">
              <Meter label="Bots" meter={usage.data.usage.bots} />
              <Meter label="Documents" meter={{ used: usage.data.usage.documents.used, limit: null }} />
              <p className="small muted" style={{ marginTop: -12 }}>Up to {number(usage.data.usage.documents.limitPerBot)} documents per bot on this plan.</p>
              <Meter label="Storage" meter={usage.data.usage.storageBytes} format={bytes} />
              <Meter label="Questions this month" meter={usage.data.usage.queriesThisMonth} />
              <Meter label="Processing jobs this month" meter={usage.data.usage.processingJobsThisMonth} />
            </div>
          </Card>
        </div>
      )}
    </>
  );
}
