/**
 * The workspace's plan and how much of each limit is used, and what it uses more of than
 * the plan allows (when a platform administrator lowered or changed the plan).
 */
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import type { UsageMeter } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { bytes, number } from "../../lib/format";
import { Alert, Badge, ErrorMessage, Loading, ProgressBar } from "../../ui/feedback";
import { Card, PageHeader } from "../../ui/layout";

export function meterTone(m: UsageMeter): "success" | "danger" | undefined {
  if (m.limit === null) return undefined;
  if (m.limit <= 0) return m.used > 0 ? "danger" : undefined;
  return m.used / m.limit >= 0.9 ? "danger" : undefined;
}

/** Share of the limit used, in percent (over 100 when over it; 100 for any use of a zero limit). */
export function meterPercent(m: UsageMeter): number {
  if (m.limit === null) return 0;
  if (m.limit <= 0) return m.used > 0 ? 100 : 0;
  return (m.used / m.limit) * 100;
}

function Meter({ label, meter, format = number }: { label: string; meter: UsageMeter; format?: (n: number) => string }) {
  const pct = meterPercent(meter);
  const tone = meterTone(meter);
  return (
    <div className="stack sm meter">
      <div className="row">
        <strong>{label}</strong>
        <span className="spacer" />
        <span className="small muted">
          {meter.limit === null ? `${format(meter.used)} · no limit` : `${format(meter.used)} of ${format(meter.limit)}`}
        </span>
      </div>
      <ProgressBar value={Math.min(100, pct)} {...(tone ? { tone } : {})} label={`${label}: ${Math.round(pct)}% used`} />
      {tone === "danger" && (
        <span className="small" style={{ color: "var(--danger)" }}>
          {meter.used > (meter.limit ?? 0) ? "Over the limit." : "Close to the limit."} Your Docent administrator can move this workspace to a larger plan.
        </span>
      )}
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
          {usage.data.overLimits.length > 0 && (
            <div data-testid="over-limits">
              <Alert tone="warning" title={`This workspace uses more than the ${usage.data.plan.name} plan allows`}>
                <ul style={{ margin: "4px 0 0", paddingLeft: 18 }}>
                  {usage.data.overLimits.map((o) => (
                    <li key={o.limit}>{o.message}</li>
                  ))}
                </ul>
                Nothing is removed, but nothing more can be added past these limits until the plan changes or use goes down.
              </Alert>
            </div>
          )}
          <Card title="Usage">
            <div className="stack lg">
              <Meter label="Bots" meter={usage.data.usage.bots} />
              <Meter label="Documents in the fullest bot" meter={{ used: usage.data.usage.documents.largestBot, limit: usage.data.usage.documents.limitPerBot }} />
              <p className="small muted" style={{ marginTop: -12 }}>
                {number(usage.data.usage.documents.used)} documents in all;{" "}
                {usage.data.usage.documents.limitPerBot === null ? "no limit per bot" : `up to ${number(usage.data.usage.documents.limitPerBot)} per bot`} on this plan.
              </p>
              <Meter label="Storage" meter={usage.data.usage.storageBytes} format={bytes} />
              <Meter label="Questions this month" meter={usage.data.usage.queriesThisMonth} />
              <Meter label="Searches this month (search API)" meter={usage.data.usage.retrievalsThisMonth} />
              <Meter label="Processing jobs this month" meter={usage.data.usage.processingJobsThisMonth} />
            </div>
          </Card>
        </div>
      )}
    </>
  );
}
