import { sql } from "drizzle-orm";
import { createDb } from "@docent/db/client";
const { db, sql: pg, close } = createDb({ url: process.argv[2]! });
const bot = process.argv[3]!;
const ids = (await pg.unsafe(`select chunk_id::text from bot_chunk_postings where bot_id = $1 and term = 'imperi' limit 20`, [bot])).map((r: any) => r.chunk_id);
const run = async (name: string, f: () => Promise<unknown>) => {
  const t: number[] = [];
  for (let i = 0; i < 300; i++) { const t0 = performance.now(); await f(); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b);
  console.log(name, "p50", t[150]!.toFixed(3), "p95", t[285]!.toFixed(3));
};
await run("select 1 (drizzle)", () => db.execute(sql`select 1`));
await run("select 1 (pg prepared)", () => pg`select 1`);
await run("lookup (drizzle)", () => db.execute(sql`select array_position(${"{general,mean,word,one,use}"}::text[], c.term) as i, c.chunk_id::text as id, c.tf from bot_chunk_postings c where c.bot_id = ${bot} and c.term = any(${"{general,mean,word,one,use}"}::text[]) and c.chunk_id = any(${`{${ids.join(",")}}`}::uuid[])`));
await run("lookup (pg prepared)", () => pg`select array_position(${"{general,mean,word,one,use}"}::text[], c.term) as i, c.chunk_id::text as id, c.tf from bot_chunk_postings c where c.bot_id = ${bot} and c.term = any(${"{general,mean,word,one,use}"}::text[]) and c.chunk_id = any(${`{${ids.join(",")}}`}::uuid[])`);
await run("tx begin+commit", () => db.transaction(async (tx) => { await tx.execute(sql`select 1`); }));
await close();
