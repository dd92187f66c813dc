/**
 * The evaluation feature measured on SQuAD v1.1 dev through the product: the chat service
 * started with its shipped `start` command (which also consumes the evaluation queue), an
 * API key with `bots:write`, and only HTTP calls: create a set, import every judged
 * question as JSON (each expecting the chunk that holds its answer's sentence, the same
 * relevance `pnpm eval:retrieval` uses), run it in vector, keyword and hybrid (the new-bot
 * weights and equal weights), poll until done. The figures should match eval:retrieval's
 * within noise. Then the time of a 1,000-question run (an evenly spread sample) with the
 * default three settings, and with one.
 *
 *   pnpm bench:evals [--articles N] [--no-write] [--dataset path]
 *
 * Ingestion as in eval:retrieval (ingest-through-worker.ts). Needs DATABASE_URL (a role
 * that may CREATE DATABASE) and REDIS_URL; run `pnpm build` first (compiled services).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { defaultRagConfig } from "@docent/contracts/json";
import { createApiKey } from "@docent/db/queries/api-keys";
import * as s from "@docent/db/schema";
import { newApiKey } from "@docent/service-kit/crypto/tokens";
import { freePort, spawnService } from "@docent/testing/process";
import { sql } from "drizzle-orm";
import { ingestThroughWorker } from "./ingest-through-worker";
import { machine, table, writeSection } from "./report";
import { createScratchDatabase } from "./scratch-db";
import { defaultSquadPath, type Squad } from "./squad";

const args = parseArgs({
  options: {
    articles: { type: "string" },
    "no-write": { type: "boolean", default: false },
    dataset: { type: "string", default: defaultSquadPath },
  },
}).values;

const norm = (t: string) => t.replace(/\s+/g, " ").trim();
const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
function sentenceAt(text: string, offset: number): string {
  for (const seg of segmenter.segment(text)) {
    if (offset >= seg.index && offset < seg.index + seg.segment.length) return norm(seg.segment);
  }
  return norm(text);
}
const f = (x: number) => x.toFixed(3);

type Run = {
  id: string;
  status: string;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  results: { label: string; judged: number; unjudged: number; ms: number; metrics: { recall: Record<string, number>; mrr: number; ndcg10: number } }[] | null;
  best: { label: string } | null;
};

async function main() {
  const started = performance.now();
  const squad = JSON.parse(readFileSync(args.dataset!, "utf8")) as Squad;
  const total = squad.data.length;
  if (args.articles) squad.data = squad.data.slice(0, Number(args.articles));
  const subset = squad.data.length < total;
  const serverUrl = process.env.DATABASE_URL ?? "postgres://docent:docent@127.0.0.1:5432/docent";
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const scratch = await createScratchDatabase(serverUrl, "evalsets");
  const { db } = scratch;
  let chat: ReturnType<typeof spawnService> | undefined;
  try {
    await db.insert(s.plans).values({ code: "free", name: "Free", maxQueriesPerMonth: 1_000_000 });
    const [workspace] = await db.insert(s.workspaces).values({ name: "SQuAD evals", slug: "squad-evals" }).returning();
    const [bot] = await db
      .insert(s.bots)
      .values({ workspaceId: workspace!.id, name: "SQuAD", publicId: "squad-evals-bot", status: "READY", ragConfig: defaultRagConfig })
      .returning();
    const ingest = await ingestThroughWorker({
      db,
      databaseUrl: scratch.url,
      redisUrl,
      botId: bot!.id,
      documents: squad.data.map((a) => ({ name: a.title, text: a.paragraphs.map((p) => p.context).join("\n\n") })),
    });
    await db.execute(sql`analyze bot_document_chunks`);
    const key = newApiKey();
    await createApiKey(db, {
      workspaceId: workspace!.id,
      botId: null,
      createdBy: null,
      name: "bench",
      prefix: key.prefix,
      keyHash: key.hash,
      scopes: ["bots:read", "bots:write", "chat"],
      expiresAt: null,
    });

    // Every question, expecting the chunk that holds its answer's sentence.
    const questions = squad.data.flatMap((article, a) =>
      article.paragraphs.flatMap((p) =>
        p.qas
          .filter((qa) => qa.answers[0])
          .map((qa) => ({ question: qa.question, expected: [{ documentId: ingest.documentIds[a]!, text: sentenceAt(p.context, qa.answers[0]!.answer_start) }] })),
      ),
    );

    const port = await freePort();
    const chatDir = fileURLToPath(new URL("..", import.meta.url));
    chat = spawnService(chatDir, {
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: scratch.url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: `bench-evals-${randomBytes(3).toString("hex")}`,
      CHAT_REDIS_PREFIX: `bench-evals-chat-${randomBytes(3).toString("hex")}`,
      CHAT_RATE_LIMIT_PER_MINUTE: "100000",
      LOG_LEVEL: "warn",
    });
    await chat.waitForLine(/chat service listening|"level":"warn"/, 30_000).catch(() => undefined);
    const base = `http://127.0.0.1:${port}/v1/bots/${bot!.id}`;
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await fetch(`${base}${path}`, {
            method,
            headers: { authorization: `Bearer ${key.secret}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          const text = await res.text();
          if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
          return JSON.parse(text) as T;
        } catch (error) {
          // The process may still be starting.
          if (attempt < 50 && (error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED") {
            await new Promise((r) => setTimeout(r, 200));
            continue;
          }
          throw error;
        }
      }
    };
    const waitFor = async (runId: string): Promise<Run> => {
      for (;;) {
        const run = await call<Run>("GET", `/eval-runs/${runId}`);
        if (run.status === "SUCCEEDED") return run;
        if (run.status === "FAILED") {
          console.error(chat?.tail(40));
          throw new Error(`run failed: ${run.error}`);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    const runSet = async (setId: string, configs?: unknown[]) => {
      const t0 = performance.now();
      const run = await waitFor((await call<Run>("POST", `/eval-sets/${setId}/runs`, configs ? { configs } : {})).id);
      return { run, wallS: (performance.now() - t0) / 1000 };
    };

    // 1. The whole dev set through the API.
    const full = await call<{ id: string }>("POST", "/eval-sets", { name: "SQuAD v1.1 dev" });
    const t1 = performance.now();
    const imported = await call<{ imported: number }>("POST", `/eval-sets/${full.id}/import`, { format: "json", content: JSON.stringify(questions) });
    const importS = (performance.now() - t1) / 1000;
    console.log(`imported ${imported.imported} questions in ${importS.toFixed(1)} s`);
    const configs = [
      { mode: "vector" },
      { mode: "keyword" },
      { mode: "hybrid", fusionWeights: { vector: 0.01, keyword: 1 } },
      { mode: "hybrid", fusionWeights: { vector: 1, keyword: 1 } },
    ];
    const fullRun = await runSet(full.id, configs);
    for (const r of fullRun.run.results!) console.log(r.label, JSON.stringify(r.metrics), `${(r.ms / 1000).toFixed(1)} s`);

    // 2. A 1,000-question run, default settings (three) and one setting.
    const step = Math.floor(questions.length / 1000);
    const sample = questions.filter((_, i) => i % Math.max(step, 1) === 0).slice(0, 1000);
    const small = await call<{ id: string }>("POST", "/eval-sets", { name: "SQuAD sample (1,000)", questions: sample });
    const threeSettings = await runSet(small.id);
    const oneSetting = await runSet(small.id, [{ mode: "hybrid" }]);
    console.log(`1,000 questions: three settings ${threeSettings.wallS.toFixed(1)} s, one ${oneSetting.wallS.toFixed(1)} s`);
    const totalS = (performance.now() - started) / 1000;

    const r = fullRun.run.results!;
    const section = [
      "## Evaluation sets through the API (SQuAD v1.1 dev)",
      "",
      `Reproduce: \`pnpm build && DATABASE_URL=postgres://docent:docent@127.0.0.1:5432/docent REDIS_URL=redis://127.0.0.1:6379 pnpm bench:evals\` (apps/chat/bench/eval-sets.ts). Run ${new Date().toISOString().slice(0, 10)} on ${machine()}, 2 cores shared with other engineers' work (times are noisy), PostgreSQL 15 + pgvector 0.8.`,
      "",
      `The ${squad.data.length} articles ingested as in eval:retrieval (documents service, BullMQ, one worker process). Then only HTTP calls to the chat service, started with its shipped start command (it also runs the evaluation queue, \`EVAL_RUN_CONCURRENCY\` 4): a set created, ${imported.imported} questions imported as one JSON body (${importS.toFixed(1)} s), each expecting its document and the sentence holding its answer (a chunk holding that sentence is relevant: eval:retrieval's relevance), one run scoring four settings (${fullRun.wallS.toFixed(0)} s from POST to SUCCEEDED). Judged ${r[0]!.judged}, unjudged ${r[0]!.unjudged}. Total ${totalS.toFixed(0)} s.`,
      "",
      table(
        ["setting", "recall@1", "recall@5", "recall@10", "MRR", "nDCG@10", "time"],
        r.map((x) => [x.label, f(x.metrics.recall["1"]!), f(x.metrics.recall["5"]!), f(x.metrics.recall["10"]!), f(x.metrics.mrr), f(x.metrics.ndcg10), `${(x.ms / 1000).toFixed(1)} s`]),
      ),
      "",
      `Best setting by nDCG@10 (then MRR): ${fullRun.run.best?.label}. These are the figures eval:retrieval computes from the same corpus and relevance (its section above); differences come from the separate ingestion (chunk boundaries are the same; ids and ties between equal scores may differ).`,
      "",
      `A run of 1,000 questions (every ${step}th question) through the same API, wall time from POST to SUCCEEDED: **${threeSettings.wallS.toFixed(1)} s** for the default three settings (vector, keyword, hybrid), **${oneSetting.wallS.toFixed(1)} s** for one (hybrid).`,
    ].join("\n");
    console.log(section);
    if (subset) console.log("subset run: docs/benchmarks.md left as it is");
    else if (!args["no-write"]) writeSection("bench:evals", section);
  } finally {
    if (chat && chat.child.exitCode === null) {
      chat.child.kill("SIGTERM");
      await chat.exited;
    }
    await scratch.drop();
  }
}

await main();
