import { readFileSync } from "node:fs";
import { createDb } from "@docent/db/client";
import { retrievalSnapshot } from "@docent/db/queries/retrieval";
import { defaultSquadPath, type Squad } from "../squad";
const url = process.argv[2]!;
const bot = process.argv[3]!;
const { db, close } = createDb({ url });
const squad = JSON.parse(readFileSync(defaultSquadPath, "utf8")) as Squad;
const words = (t: string) => t.trim().split(/\s+/).length;
const pool: string[] = [];
for (const a of squad.data) for (const p of a.paragraphs) for (const qa of p.qas) if (words(qa.question) >= 13 && words(qa.question) <= 17) pool.push(qa.question);
const qs = Array.from({ length: 220 }, (_, i) => pool[Math.floor((i * pool.length) / 220)]!);
const limit = Number(process.argv[4] ?? 10);
const g = globalThis as any;
g.PH = {};
const times: number[] = [];
for (const [n, query] of qs.entries()) {
  if (n === 20) g.PH = {};
  const t0 = performance.now();
  await retrievalSnapshot(db, { botId: bot, hnsw: { limit, efSearch: 200, maxScanTuples: 20000 } }, (s) => s.bm25({ query, textSearchConfig: "english", limit }));
  const dt = performance.now() - t0;
  if (n >= 20) times.push(dt);
}
times.sort((a, b) => a - b);
console.log("p50", times[100]!.toFixed(1), "p95", times[190]!.toFixed(1), "mean", (times.reduce((a, b) => a + b) / times.length).toFixed(2));
for (const [k, v] of Object.entries(g.PH as Record<string, [number, number]>)) console.log(k, "calls/q", (v[1] / 200).toFixed(2), "ms/q", (v[0] / 200).toFixed(2));
await close();
