/** Usage and quality of a bot's answers: volume, latency, tokens, feedback, sources, gaps. */
import { useQuery } from "@tanstack/react-query";
import { BarChart3 } from "lucide-react";
import { useMemo, useState } from "react";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api } from "../../api/client";
import type { Analytics } from "../../api/types";
import { ms, number, relativeTime } from "../../lib/format";
import { EmptyState, ErrorMessage, Loading } from "../../ui/feedback";
import { Segmented } from "../../ui/form";
import { Card, Stat } from "../../ui/layout";
import { useBot } from "../bots/use-bot";
import "./analytics.css";
import { UsageByMetric } from "./usage-by-metric";

type Range = "7" | "30" | "90";

export function summarise(a: Analytics) {
  const sum = (f: (d: Analytics["daily"][number]) => number | undefined) => a.daily.reduce((n, d) => n + (f(d) ?? 0), 0);
  const queries = a.totals?.queries ?? sum((d) => d.queries);
  const retrievals = a.totals?.retrievals ?? sum((d) => d.retrievals);
  const up = a.totals?.up ?? sum((d) => d.up);
  const down = a.totals?.down ?? sum((d) => d.down);
  const rated = up + down;
  return {
    queries,
    retrievals,
    p50: a.totals?.p50Ms,
    p95: a.totals?.p95Ms,
    tokensIn: a.totals?.tokensIn ?? sum((d) => d.tokensIn),
    tokensOut: a.totals?.tokensOut ?? sum((d) => d.tokensOut),
    up,
    down,
    satisfaction: rated > 0 ? up / rated : null,
  };
}

const axis = { stroke: "var(--fg-subtle)", fontSize: 12, tickLine: false, axisLine: false } as const;
const tooltipStyle = { contentStyle: { background: "var(--surface)", border: "1px solid var(--border)", borderRadius: 8, color: "var(--fg)" }, labelStyle: { color: "var(--fg-muted)" } };
const shortDate = (d: string) => new Date(`${d.slice(0, 10)}T00:00:00`).toLocaleDateString(undefined, { month: "short", day: "numeric" });

/** Count per star (1-5) with the average; star ratings come from the widget (when it offers them) and the API. */
export function StarsDistribution({ stars }: { stars: Analytics["stars"] }) {
  if (stars.count === 0) return <p className="muted small">No star ratings in this period.</p>;
  const most = Math.max(...stars.distribution.map((d) => d.count), 1);
  return (
    <div className="stack" aria-label={`Average ${stars.average} of 5 from ${stars.count} ratings`}>
      <div className="row">
        <strong style={{ fontSize: 22 }}>{stars.average?.toFixed(2)}</strong>
        <span className="muted small">average of {number(stars.count)} {stars.count === 1 ? "rating" : "ratings"}</span>
      </div>
      <table className="table stars-table">
        <tbody>
          {[...stars.distribution].reverse().map((d) => (
            <tr key={d.stars}>
              <th scope="row">{"★".repeat(d.stars)}</th>
              <td style={{ width: "70%" }}>
                <div className="stars-bar" style={{ width: `${(d.count / most) * 100}%` }} />
              </td>
              <td>{number(d.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AnalyticsPage() {
  const { botId, workspaceId } = useBot();
  const [range, setRange] = useState<Range>("30");
  const window = useMemo(() => {
    const to = new Date();
    const from = new Date(to.getTime() - Number(range) * 86400_000);
    return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
  }, [range]);
  const analytics = useQuery({ queryKey: ["analytics", botId, window], queryFn: () => api.chat.analytics(botId, window) });

  const header = (
    <div className="row" style={{ marginBottom: 16 }}>
      <h2 style={{ flex: 1 }}>Analytics</h2>
      <a className="btn sm" href={api.chat.exportUrl(botId, "analytics", { ...window, format: "csv" })} download>
        Export CSV
      </a>
      <a className="btn sm" href={api.chat.exportUrl(botId, "conversations", { ...window, format: "csv" })} download>
        Export conversations
      </a>
      <Segmented<Range>
        label="Date range"
        value={range}
        onChange={setRange}
        options={[
          { value: "7", label: "7 days" },
          { value: "30", label: "30 days" },
          { value: "90", label: "90 days" },
        ]}
      />
    </div>
  );
  if (analytics.isPending) return <>{header}<Loading label="Loading analytics…" /></>;
  if (analytics.error) return <>{header}<ErrorMessage error={analytics.error} title="Could not load analytics" /></>;
  const a = analytics.data;
  const s = summarise(a);
  const feedbackData = a.daily.map((d) => ({ date: d.date, up: d.up ?? 0, down: d.down ?? 0 }));
  return (
    <div className="stack lg">
      {header}
      <div className="grid-4">
        <Stat label="Questions" value={number(s.queries)} sub={`last ${range} days · ${number(s.retrievals)} API ${s.retrievals === 1 ? "search" : "searches"}`} />
        <Stat label="Response time" value={ms(s.p50)} sub={`p95 ${ms(s.p95)}`} />
        <Stat label="Tokens" value={number(s.tokensIn + s.tokensOut)} sub={`${number(s.tokensIn)} in · ${number(s.tokensOut)} out`} />
        <Stat label="Helpful answers" value={s.satisfaction === null ? "—" : `${Math.round(s.satisfaction * 100)}%`} sub={`${s.up} up · ${s.down} down`} />
      </div>
      {s.queries === 0 ? (
        <Card>
          <EmptyState icon={<BarChart3 aria-hidden="true" />} title="No questions in this period">
            Charts fill in as people ask questions through the widget, the API or the playground.
          </EmptyState>
        </Card>
      ) : (
        <>
          <div className="grid-2">
            <Card title="Questions per day">
              <div className="chart" role="img" aria-label={`Questions per day, ${s.queries} in total`}>
                <ResponsiveContainer width="100%" height={240}>
                  <AreaChart data={a.daily} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
                    <defs>
                      <linearGradient id="q" x1="0" y1="0" x2="0" y2="1">
                        <stop offset="0%" stopColor="var(--chart-1)" stopOpacity={0.35} />
                        <stop offset="100%" stopColor="var(--chart-1)" stopOpacity={0} />
                      </linearGradient>
                    </defs>
                    <CartesianGrid stroke="var(--border)" vertical={false} />
                    <XAxis dataKey="date" tickFormatter={shortDate} {...axis} minTickGap={24} />
                    <YAxis allowDecimals={false} {...axis} />
                    <Tooltip labelFormatter={(l) => shortDate(String(l))} {...tooltipStyle} />
                    <Area type="monotone" dataKey="queries" name="Questions" stroke="var(--chart-1)" strokeWidth={2} fill="url(#q)" />
                  </AreaChart>
                </ResponsiveContainer>
              </div>
            </Card>
            <Card title="Response time">
              <div className="chart" role="img" aria-label={`Median response time ${ms(s.p50)}, 95th percentile ${ms(s.p95)}`}>
                <ResponsiveContainer width="100%" height={240}>
                  <LineChart data={a.daily} margin={{ top: 8, right: 8, left: -4, bottom: 0 }}>
                    <CartesianGrid stroke="var(--border)" vertical={false} />
                    <XAxis dataKey="date" tickFormatter={shortDate} {...axis} minTickGap={24} />
                    <YAxis tickFormatter={(v: number) => ms(v)} {...axis} width={56} />
                    <Tooltip labelFormatter={(l) => shortDate(String(l))} formatter={(v) => ms(Number(v))} {...tooltipStyle} />
                    <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
                    <Line type="monotone" dataKey="p50Ms" name="p50" stroke="var(--chart-2)" strokeWidth={2} dot={{ r: 2 }} connectNulls />
                    <Line type="monotone" dataKey="p95Ms" name="p95" stroke="var(--chart-3)" strokeWidth={2} dot={{ r: 2 }} connectNulls />
                  </LineChart>
                </ResponsiveContainer>
              </div>
            </Card>
            <Card title="Tokens in and out">
              <div className="chart" role="img" aria-label={`${s.tokensIn} tokens in, ${s.tokensOut} tokens out`}>
                <ResponsiveContainer width="100%" height={240}>
                  <BarChart data={a.daily} margin={{ top: 8, right: 8, left: -4, bottom: 0 }}>
                    <CartesianGrid stroke="var(--border)" vertical={false} />
                    <XAxis dataKey="date" tickFormatter={shortDate} {...axis} minTickGap={24} />
                    <YAxis {...axis} width={56} />
                    <Tooltip labelFormatter={(l) => shortDate(String(l))} {...tooltipStyle} cursor={{ fill: "var(--surface-2)" }} />
                    <Legend wrapperStyle={{ fontSize: 12 }} />
                    <Bar dataKey="tokensIn" name="In" stackId="t" fill="var(--chart-1)" radius={[0, 0, 0, 0]} />
                    <Bar dataKey="tokensOut" name="Out" stackId="t" fill="var(--chart-2)" radius={[4, 4, 0, 0]} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            </Card>
            <Card title="Feedback">
              <div className="chart" role="img" aria-label={`${s.up} helpful and ${s.down} unhelpful ratings`}>
                <ResponsiveContainer width="100%" height={240}>
                  <BarChart data={feedbackData} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
                    <CartesianGrid stroke="var(--border)" vertical={false} />
                    <XAxis dataKey="date" tickFormatter={shortDate} {...axis} minTickGap={24} />
                    <YAxis allowDecimals={false} {...axis} />
                    <Tooltip labelFormatter={(l) => shortDate(String(l))} {...tooltipStyle} cursor={{ fill: "var(--surface-2)" }} />
                    <Legend wrapperStyle={{ fontSize: 12 }} />
                    <Bar dataKey="up" name="Helpful" stackId="f" fill="var(--chart-4)" />
                    <Bar dataKey="down" name="Not helpful" stackId="f" fill="var(--chart-5)" radius={[4, 4, 0, 0]} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            </Card>
          </div>
          <div className="grid-2">
            <Card title="Most cited documents">
              {a.topDocuments.length === 0 ? (
                <p className="muted small">No citations yet.</p>
              ) : (
                <div className="chart" role="img" aria-label="Most cited documents">
                  <ResponsiveContainer width="100%" height={Math.max(120, a.topDocuments.length * 36)}>
                    <BarChart data={a.topDocuments} layout="vertical" margin={{ top: 0, right: 16, left: 0, bottom: 0 }}>
                      <XAxis type="number" allowDecimals={false} {...axis} />
                      <YAxis type="category" dataKey="name" width={170} {...axis} tickFormatter={(v: string) => (v.length > 24 ? `${v.slice(0, 23)}…` : v)} />
                      <Tooltip {...tooltipStyle} cursor={{ fill: "var(--surface-2)" }} />
                      <Bar dataKey="count" name="Citations" fill="var(--chart-1)" radius={[0, 4, 4, 0]} />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
              )}
            </Card>
            <Card title="Star ratings">
              <StarsDistribution stars={a.stars} />
            </Card>
          </div>
          <div className="grid-2">
            <Card title="Questions without a good source" padded={false}>
              {a.unanswered.length === 0 ? (
                <p className="card-body muted small">Every question found a relevant source. Nice.</p>
              ) : (
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Question</th>
                      <th scope="col">Times</th>
                      <th scope="col">Last asked</th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.unanswered.map((u) => (
                      <tr key={u.question}>
                        <td style={{ overflowWrap: "anywhere" }}>{u.question}</td>
                        <td>{u.count ?? 1}</td>
                        <td className="muted">{relativeTime(u.lastAskedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Card>
          </div>
          <UsageByMetric workspaceId={workspaceId} botId={botId} from={window.from} to={window.to} />
        </>
      )}
    </div>
  );
}
