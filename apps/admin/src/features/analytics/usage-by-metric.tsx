/** The bot's usage per day by metric type (GET /usage/daily): a chart of messages and API calls, and a table of every metric. */
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api } from "../../api/client";
import type { DailyUsage } from "../../api/types";
import { number } from "../../lib/format";
import { ErrorMessage, Loading } from "../../ui/feedback";
import { Card } from "../../ui/layout";

type Metric = DailyUsage["items"][number]["metric"];
export const metricLabels: Record<Metric, string> = {
  messages: "Messages",
  api_calls: "API calls",
  documents_embedded: "Documents embedded",
  chunks_embedded: "Chunks embedded",
  prompt_tokens: "Prompt tokens",
  completion_tokens: "Completion tokens",
};

export type UsageDay = { day: string } & Record<Metric, number>;

/** One row per day of the range (days without use are zeros), each metric a column. */
export function usageSeries(usage: Pick<DailyUsage, "from" | "to" | "items">): UsageDay[] {
  const zero = () => Object.fromEntries(Object.keys(metricLabels).map((m) => [m, 0])) as Record<Metric, number>;
  const days = new Map<string, UsageDay>();
  for (let t = Date.parse(`${usage.from}T00:00:00Z`); t <= Date.parse(`${usage.to}T00:00:00Z`); t += 86400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.set(day, { day, ...zero() });
  }
  for (const row of usage.items) {
    const entry = days.get(row.day);
    if (entry) entry[row.metric] += row.value;
  }
  return [...days.values()];
}

const axis = { stroke: "var(--fg-subtle)", fontSize: 12, tickLine: false, axisLine: false } as const;

export function UsageByMetric({ workspaceId, botId, from, to }: { workspaceId: string; botId: string; from: string; to: string }) {
  const usage = useQuery({ queryKey: ["usage-daily", workspaceId, botId, from, to], queryFn: () => api.workspaces.dailyUsage(workspaceId, { botId, from, to }) });
  if (usage.isPending) return <Loading label="Loading usage…" />;
  if (usage.error) return <ErrorMessage error={usage.error} title="Could not load usage" />;
  const series = usageSeries(usage.data);
  return (
    <Card title="Usage by type">
      <div style={{ height: 220 }}>
        <ResponsiveContainer>
          <BarChart data={series}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
            <XAxis dataKey="day" {...axis} tickFormatter={(d: string) => d.slice(5)} />
            <YAxis {...axis} allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="messages" name={metricLabels.messages} fill="var(--primary)" />
            <Bar dataKey="api_calls" name={metricLabels.api_calls} fill="var(--fg-subtle)" />
            <Bar dataKey="documents_embedded" name={metricLabels.documents_embedded} fill="var(--success, #16a34a)" />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="table" aria-label="Usage totals by type">
        <tbody>
          {(Object.keys(metricLabels) as Metric[]).map((m) => (
            <tr key={m}>
              <th scope="row">{metricLabels[m]}</th>
              <td style={{ textAlign: "right" }}>{number(usage.data.totals[m] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
