/**
 * Platform administration: the persisted error log of the API, chat service and worker
 * (5xx answers and failed jobs), filtered by service, type, bot and dates, newest first.
 */
import { useQuery } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";
import { useState } from "react";
import { api } from "../../api/client";
import { dateTime } from "../../lib/format";
import { Button } from "../../ui/button";
import { Badge, EmptyState } from "../../ui/feedback";
import { Field, Input, Select } from "../../ui/form";
import { Card, PageHeader } from "../../ui/layout";
import { QueryState } from "../../ui/query-state";
import { PlatformOnly } from "./platform-only";

const PAGE = 50;
type Service = "" | "api" | "chat" | "worker";

export function ErrorLogsPage() {
  return (
    <PlatformOnly>
      <ErrorLogs />
    </PlatformOnly>
  );
}

function ErrorLogs() {
  const [service, setService] = useState<Service>("");
  const [errorType, setErrorType] = useState("");
  const [botId, setBotId] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [offset, setOffset] = useState(0);
  const filter = {
    ...(service ? { service } : {}),
    ...(errorType.trim() ? { errorType: errorType.trim() } : {}),
    ...(/^[0-9a-f-]{36}$/i.test(botId.trim()) ? { botId: botId.trim() } : {}),
    ...(from ? { from: new Date(`${from}T00:00:00Z`).toISOString() } : {}),
    ...(to ? { to: new Date(`${to}T23:59:59Z`).toISOString() } : {}),
  };
  const logs = useQuery({
    queryKey: ["admin", "error-logs", filter, offset],
    queryFn: () => api.admin.errorLogs({ ...filter, limit: PAGE, offset }),
  });
  const total = logs.data?.total ?? 0;
  return (
    <>
      <PageHeader title="Error log" description="Server errors of every service (5xx answers and failed jobs), kept for ERROR_LOG_RETENTION_DAYS days." />
      <Card>
        <div className="row wrap" style={{ gap: 12 }}>
          <Field label="Service">
            <Select value={service} onChange={(e) => { setService(e.target.value as Service); setOffset(0); }}>
              <option value="">All</option>
              <option value="api">api</option>
              <option value="chat">chat</option>
              <option value="worker">worker</option>
            </Select>
          </Field>
          <Field label="Type">
            <Input value={errorType} onChange={(e) => { setErrorType(e.target.value); setOffset(0); }} placeholder="INTERNAL" />
          </Field>
          <Field label="Bot id">
            <Input value={botId} onChange={(e) => { setBotId(e.target.value); setOffset(0); }} />
          </Field>
          <Field label="From">
            <Input type="date" value={from} onChange={(e) => { setFrom(e.target.value); setOffset(0); }} />
          </Field>
          <Field label="To">
            <Input type="date" value={to} onChange={(e) => { setTo(e.target.value); setOffset(0); }} />
          </Field>
        </div>
      </Card>
      <Card
        padded={false}
        actions={
          <div className="row">
            <Button size="sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Newer</Button>
            <Button size="sm" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>Older</Button>
          </div>
        }
      >
        <QueryState query={logs} errorTitle="Could not load the error log" empty={<EmptyState title="No errors" />}>
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState icon={<TriangleAlert aria-hidden="true" />} title="No errors match" />
            ) : (
              <div className="table-wrap">
                <table className="table" aria-label="Error log">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Service</th>
                      <th scope="col">Type</th>
                      <th scope="col">Message</th>
                      <th scope="col">Where</th>
                      <th scope="col">Request id</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((e) => (
                      <tr key={e.id}>
                        <td className="muted">{dateTime(e.createdAt)}</td>
                        <td><Badge plain>{e.service}</Badge></td>
                        <td><code>{e.errorType}</code>{e.statusCode ? <span className="muted small"> {e.statusCode}</span> : null}</td>
                        <td>{e.message}</td>
                        <td className="muted small">
                          {e.operation}
                          {e.botId && <div>bot {e.botId}</div>}
                        </td>
                        <td><code className="small">{e.requestId ?? "—"}</code></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </QueryState>
      </Card>
    </>
  );
}
