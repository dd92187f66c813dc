/**
 * Streamed exports of a bot's conversations (one row per message, with citations,
 * feedback and topic) and daily analytics, as CSV (csv-stringify, RFC 4180 quoting) or
 * NDJSON, for a range of at most ANALYTICS_MAX_DAYS UTC days. Conversations come from a
 * postgres.js cursor, EXPORT_BATCH_ROWS rows at a time, piped into the reply: nothing is
 * buffered whole. Needs analytics:read on the bot; another workspace's bot is not found.
 */
import { Readable, Transform, pipeline } from "node:stream";
import { chatBotParamsSchema as botParams } from "@docent/contracts/chat";
import { ANALYTICS_EXPORT_COLUMNS, CONVERSATION_EXPORT_COLUMNS, exportQuerySchema } from "@docent/contracts/exports";
import { getBotAnalytics } from "@docent/db/queries/analytics";
import { type ConversationExportRow, streamConversationRows } from "@docent/db/queries/exports";
import { stringify } from "csv-stringify";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "./deps";

const identity = { auth: { kind: "identity" as const } };

/** The file, streamed: CSV with a header row, or NDJSON with one JSON object per line. */
const body = {
  description: "A download (Content-Disposition: attachment), streamed as it is read.",
  content: {
    "text/csv": { schema: z.string().describe("RFC 4180 CSV, header row first.") },
    "application/x-ndjson": { schema: z.string().describe("One JSON object per line.") },
  },
};

type Format = "csv" | "json";

function flattenForCsv(r: ConversationExportRow) {
  return {
    ...r,
    citations: r.citations.length ? JSON.stringify(r.citations) : "",
  };
}

function asJson(r: ConversationExportRow) {
  return {
    conversationId: r.conversation_id,
    channel: r.channel,
    startedAt: r.started_at,
    messageId: r.message_id,
    role: r.role,
    createdAt: r.created_at,
    content: r.content,
    topic: r.topic,
    feedback: r.feedback === null ? null : { rating: r.feedback, comment: r.feedback_comment },
    citations: r.citations,
  };
}

/** Rows (objects) in, CSV or NDJSON text out. */
function encoder(format: Format, columns: readonly string[]): Transform {
  if (format === "csv") return stringify({ header: true, columns: [...columns], cast: { boolean: (b) => String(b) } });
  return new Transform({
    writableObjectMode: true,
    transform(row, _enc, done) {
      done(null, `${JSON.stringify(row)}\n`);
    },
  });
}

function send(
  reply: FastifyReply,
  opts: { format: Format; filename: string; columns: readonly string[]; rows: AsyncIterable<unknown> | Iterable<unknown> },
) {
  const out = pipeline(Readable.from(opts.rows), encoder(opts.format, opts.columns), (error) => {
    // A client that hangs up mid-download also lands here; the cursor is closed either way.
    if (error) reply.log.warn({ err: error }, "export stream ended early");
  });
  return reply
    .header("content-type", opts.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8")
    .header("content-disposition", `attachment; filename="${opts.filename}.${opts.format === "csv" ? "csv" : "ndjson"}"`)
    .header("cache-control", "no-store")
    .send(out);
}

export const exportRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { authorizeBot, db, env, sql } = deps;

  app.get(
    "/v1/bots/:botId/exports/conversations",
    {
      config: identity,
      schema: {
        operationId: "exportConversations",
        summary: "Conversations started in a range of UTC days, one row per message with citations, feedback and topic (streamed CSV or NDJSON)",
        params: botParams,
        querystring: exportQuerySchema,
        response: { 200: body },
      },
    },
    async (request, reply) => {
      const { bot } = await authorizeBot(request, request.params.botId, "analytics:read");
      const { from, to, format } = request.query;
      async function* rows() {
        for await (const batch of streamConversationRows(sql, { botId: bot.id, from, to }, env.EXPORT_BATCH_ROWS)) {
          for (const r of batch) yield format === "csv" ? flattenForCsv(r) : asJson(r);
        }
      }
      return send(reply, { format, filename: `conversations-${bot.id}-${from}-${to}`, columns: CONVERSATION_EXPORT_COLUMNS, rows: rows() });
    },
  );

  app.get(
    "/v1/bots/:botId/exports/analytics",
    {
      config: identity,
      schema: {
        operationId: "exportAnalytics",
        summary: "A bot's daily analytics figures over a range of UTC days (streamed CSV or NDJSON)",
        params: botParams,
        querystring: exportQuerySchema,
        response: { 200: body },
      },
    },
    async (request, reply) => {
      const { bot } = await authorizeBot(request, request.params.botId, "analytics:read");
      const { from, to, format } = request.query;
      // At most ANALYTICS_MAX_DAYS rows: one aggregate query, then streamed out like the rest.
      const { daily } = await getBotAnalytics(db, { botId: bot.id, from, to, weakScore: env.ANALYTICS_WEAK_SCORE, topDocumentsLimit: 0, unansweredLimit: 0 });
      const rows = daily.map((d) =>
        format === "csv"
          ? { date: d.date, queries: d.queries, retrievals: d.retrievals, p50_ms: d.p50Ms, p95_ms: d.p95Ms, tokens_in: d.tokensIn, tokens_out: d.tokensOut, up: d.up, down: d.down }
          : d,
      );
      return send(reply, { format, filename: `analytics-${bot.id}-${from}-${to}`, columns: ANALYTICS_EXPORT_COLUMNS, rows });
    },
  );
};
