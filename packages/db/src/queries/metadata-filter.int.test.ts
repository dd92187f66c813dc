/**
 * The metadata filter compiler on real PostgreSQL: each operator selects exactly the
 * documents it should, keys and values with quotes stay data, and the GIN index serves
 * containment.
 */
import type {} from "../testing/global-setup";
import type { MetadataFilter } from "@docent/contracts/metadata";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/db";
import { addDocument, createBot, createWorkspace } from "../testing/factories";
import { chunkInFilteredDocuments, metadataFilterSql } from "./metadata-filter";

const { db } = await useTestDatabase();

const ws = await createWorkspace(db);
const bot = await createBot(db, { workspaceId: ws.id });
const other = await createBot(db, { workspaceId: ws.id, name: "Other" });

const docs = {
  guide: { lang: "en", version: 2, tags: ["setup", "billing"], updated_at: "2026-03-01T00:00:00Z", product: "alpha" },
  faq: { lang: "fr", version: 3.5, tags: ["billing"], updated_at: "2026-06-15T12:00:00Z", product: "beta" },
  notes: { lang: "en", version: "7", updated_at: "2025-12-31T23:59:59Z" },
  empty: {},
  tricky: { "it's \"quoted\"": "o'brien \\ \"x\" ); drop table bot_documents; --", lang: "de" },
};
for (const [name, metadata] of Object.entries(docs)) await addDocument(db, bot, { name, metadata });
// The same metadata in another bot: no filter may reach it.
await addDocument(db, other, { name: "foreign", metadata: docs.guide });

async function matching(filter: MetadataFilter, botId = bot.id): Promise<string[]> {
  const rows = await db.execute<{ name: string }>(
    sql`select name from bot_documents where bot_id = ${botId} and ${metadataFilterSql(filter)} order by name`,
  );
  return rows.map((r) => r.name);
}

describe("metadataFilterSql", () => {
  it.each<[string, MetadataFilter, string[]]>([
    ["eq on a string", { eq: { key: "lang", value: "en" } }, ["guide", "notes"]],
    ["eq on a number, 3.5 = 3.50", { eq: { key: "version", value: 3.5 } }, ["faq"]],
    ["eq: a number never equals its string", { eq: { key: "version", value: 7 } }, []],
    ["eq: a string list holding the value", { eq: { key: "tags", value: "billing" } }, ["faq", "guide"]],
    ["eq on a missing key", { eq: { key: "nothing", value: "en" } }, []],
    ["in", { in: { key: "lang", values: ["fr", "de"] } }, ["faq", "tricky"]],
    ["in over a list", { in: { key: "tags", values: ["setup", "none"] } }, ["guide"]],
    ["range on numbers", { range: { key: "version", gt: 2, lte: 3.5 } }, ["faq"]],
    ["range gte includes the bound", { range: { key: "version", gte: 2 } }, ["faq", "guide"]],
    ["range skips values of another type", { range: { key: "version", lt: 100 } }, ["faq", "guide"]],
    ["range on ISO dates", { range: { key: "updated_at", gte: "2026-01-01", lt: "2026-06-15T12:00:00Z" } }, ["guide"]],
    ["range on strings skips numbers", { range: { key: "version", gte: "0" } }, ["notes"]],
    [
      "and",
      { and: [{ eq: { key: "lang", value: "en" } }, { range: { key: "version", gte: 1 } }] },
      ["guide"],
    ],
    [
      "or",
      { or: [{ eq: { key: "product", value: "beta" } }, { eq: { key: "lang", value: "de" } }] },
      ["faq", "tricky"],
    ],
    [
      "nested",
      {
        or: [
          { and: [{ eq: { key: "lang", value: "en" } }, { eq: { key: "tags", value: "setup" } }] },
          { and: [{ eq: { key: "lang", value: "fr" } }, { range: { key: "updated_at", gt: "2026" } }] },
        ],
      },
      ["faq", "guide"],
    ],
  ])("%s", async (_, filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it("keeps quotes, backslashes and SQL in keys and values as data", async () => {
    const key = "it's \"quoted\"";
    expect(await matching({ eq: { key, value: docs.tricky[key] } })).toEqual(["tricky"]);
    expect(await matching({ eq: { key, value: "o'brien" } })).toEqual([]);
    expect(await matching({ in: { key: "lang'); delete from bot_documents; --", values: ["x' or '1'='1"] } })).toEqual([]);
    expect(await matching({ range: { key: "lang' or 1=1 --", gte: "' or ''='" } })).toEqual([]);
    expect(await matching({ range: { key: "lang", gte: "e' collate \"C\" or 'a'='a", lt: "f" } })).toEqual(["guide", "notes"]);
    const [count] = await db.execute<{ n: number }>(sql`select count(*)::int as n from bot_documents`);
    expect(count?.n).toBe(6);
  });

  it("stays inside the bot when applied to chunks", async () => {
    const filter: MetadataFilter = { eq: { key: "product", value: "alpha" } };
    expect(await matching(filter, other.id)).toEqual(["foreign"]);
    const rows = await db.execute<{ id: string }>(
      sql`select d.id from bot_documents d where ${chunkInFilteredDocuments(bot.id, filter, { documentId: sql.raw("d.id") })}`,
    );
    const [guide] = await db.execute<{ id: string }>(sql`select id from bot_documents where bot_id = ${bot.id} and name = 'guide'`);
    expect(rows.map((r) => r.id)).toEqual([guide?.id]);
  });

  it("lets the GIN index serve containment", async () => {
    const plan = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return tx.execute<{ "QUERY PLAN": string }>(
        sql`explain select id from bot_documents where ${metadataFilterSql({ in: { key: "lang", values: ["en", "fr"] } })}`,
      );
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/bot_documents_metadata_idx/);
  });
});
