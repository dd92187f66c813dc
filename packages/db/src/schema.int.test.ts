/**
 * The migrated schema on real PostgreSQL + pgvector: every table, the extension and the
 * search indexes exist; constraints reject bad rows; vectors round-trip; deleting a bot
 * removes everything that belongs to it.
 */
import { useTestDatabase } from "./testing/db";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ensureCatalog } from "./catalog";
import * as s from "./schema";
import { addDocument, createApiKey, createBot, createUser, createWorkspace, unitVector } from "./testing/factories";

const db = await useTestDatabase();
await ensureCatalog(db.db);

const expectedTables = [
  "users", "auth_methods", "sessions", "user_preferences", "workspaces", "workspace_members",
  "plans", "subscriptions", "usage_counters", "tenant_settings", "templates", "bots",
  "bot_prompts", "widget_configurations", "bot_allowed_origins", "api_keys", "bot_documents",
  "bot_document_chunks", "conversations", "messages", "message_citations",
  "analytics_query_logs", "analytics_feedback", "document_retrieval_stats",
];

async function makeWorkspaceWithBot() {
  const user = await createUser(db.db);
  const workspace = await createWorkspace(db.db, { owner: user });
  const bot = await createBot(db.db, { workspaceId: workspace.id });
  return { user, workspace, bot };
}

async function addDocumentWithChunk(bot: { id: string; language: string }, hot = 0) {
  const { document, chunkIds } = await addDocument(db.db, bot, {
    name: "guide.pdf",
    chunks: [{ text: "The quick brown foxes are jumping over lazy dogs.", page: 1, embedding: unitVector(hot) }],
  });
  const [chunk] = await db.db.select().from(s.botDocumentChunks).where(eq(s.botDocumentChunks.id, chunkIds[0]!));
  return { doc: document, chunk: chunk! };
}

/** Key material for a stored key no test presents. */
const fakeKey = (hex: string) => ({ secret: `dk_live_${hex}`, prefix: `dk_live_${hex}`, hash: hex.repeat(64) });

const pgError = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    const e = error as { cause?: { code?: string }; code?: string };
    return e.cause?.code ?? e.code;
  }
  return undefined;
};

describe("migrations on an empty database", () => {
  it("create every table of the data model", async () => {
    const rows = await db.sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public'`;
    const tables = rows.map((r) => r.table_name);
    for (const table of expectedTables) expect(tables).toContain(table);
  });

  it("install pgvector, the HNSW and btree indexes on chunks and the BM25 postings' key", async () => {
    const [ext] = await db.sql`select extversion from pg_extension where extname = 'vector'`;
    expect(ext?.extversion).toMatch(/^0\.8\./);
    const indexes = await db.sql<{ indexdef: string }[]>`
      select indexdef from pg_indexes where tablename = 'bot_document_chunks'`;
    const defs = indexes.map((i) => i.indexdef).join("\n");
    expect(defs).toMatch(/USING hnsw \(embedding vector_cosine_ops\) WITH \(m=.16.?, ef_construction=.200.?\)/);
    // Keyword search reads the postings; the tsvector is no longer indexed.
    expect(defs).not.toMatch(/USING gin/);
    expect(defs).toMatch(/USING btree \(bot_id\)/);
    expect(defs).toMatch(/UNIQUE INDEX .* USING btree \(document_id, chunk_index\)/);
    const [postings] = await db.sql<{ indexdef: string }[]>`
      select indexdef from pg_indexes where indexname = 'bot_chunk_postings_pkey'`;
    expect(postings?.indexdef).toMatch(/USING btree \(bot_id, term, chunk_id\) INCLUDE \(document_id, tf, length\)/);
  });
});

describe("constraints", () => {
  it("reject a duplicate e-mail and a non-lower-case one", async () => {
    await db.db.insert(s.users).values({ email: "dup@example.com" });
    expect(await pgError(db.db.insert(s.users).values({ email: "dup@example.com" }))).toBe("23505");
    expect(await pgError(db.db.insert(s.users).values({ email: "Mixed@Example.com" }))).toBe("23514");
  });

  it("reject a bot in a workspace that does not exist", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    const code = await pgError(
      db.db.insert(s.bots).values({ workspaceId: missing, name: "x", publicId: "orphan" }),
    );
    expect(code).toBe("23503");
  });

  it("reject a second chunk with the same index in one document", async () => {
    const { bot } = await makeWorkspaceWithBot();
    const { doc, chunk } = await addDocumentWithChunk(bot);
    const duplicate = db.db.insert(s.botDocumentChunks).values({
      botId: bot.id,
      documentId: doc.id,
      chunkIndex: chunk.chunkIndex,
      content: "again",
      contentHash: "1".repeat(64),
      tokenCount: 1,
      metadata: { charStart: 0, charEnd: 5 },
      embedding: unitVector(1),
      embeddingModel: "local:test",
    });
    expect(await pgError(duplicate)).toBe("23505");
  });

  it("allow only one active prompt per bot", async () => {
    const { bot } = await makeWorkspaceWithBot();
    await db.db.insert(s.botPrompts).values({ botId: bot.id, version: 1, name: "v1", content: "a", isActive: true });
    const second = db.db
      .insert(s.botPrompts)
      .values({ botId: bot.id, version: 2, name: "v2", content: "b", isActive: true });
    expect(await pgError(second)).toBe("23505");
  });

  it("reject feedback ratings other than +1 and -1", async () => {
    const { bot } = await makeWorkspaceWithBot();
    const [log] = await db.db
      .insert(s.analyticsQueryLogs)
      .values({ botId: bot.id, channel: "api", queryText: "hi" })
      .returning();
    expect(await pgError(db.db.insert(s.analyticsFeedback).values({ queryLogId: log!.id, rating: 5 }))).toBe("23514");
  });
});

describe("embeddings", () => {
  it("round-trip a 768-dimension vector exactly", async () => {
    const { bot } = await makeWorkspaceWithBot();
    const { chunk } = await addDocumentWithChunk(bot, 7);
    const [row] = await db.db
      .select({ embedding: s.botDocumentChunks.embedding })
      .from(s.botDocumentChunks)
      .where(eq(s.botDocumentChunks.id, chunk.id));
    expect(row!.embedding).toHaveLength(768);
    expect(row!.embedding).toEqual(unitVector(7));
  });

  it("refuse a vector of the wrong dimension", async () => {
    const { bot } = await makeWorkspaceWithBot();
    const { doc } = await addDocumentWithChunk(bot);
    const wrong = db.db.insert(s.botDocumentChunks).values({
      botId: bot.id,
      documentId: doc.id,
      chunkIndex: 1,
      content: "short",
      contentHash: "2".repeat(64),
      tokenCount: 1,
      metadata: { charStart: 0, charEnd: 5 },
      embedding: [0.1, 0.2, 0.3],
      embeddingModel: "local:test",
    });
    expect(await pgError(wrong)).toBe("22000");
  });

  it("fill the generated tsvector from the chunk's text-search configuration", async () => {
    const { bot } = await makeWorkspaceWithBot();
    const { chunk } = await addDocumentWithChunk(bot);
    const [row] = await db.sql<{ matches: boolean }[]>`
      select search_vector @@ to_tsquery('english', 'jump & fox') as matches
      from bot_document_chunks where id = ${chunk.id}`;
    expect(row!.matches).toBe(true);
  });
});

describe("deleting a bot", () => {
  it("removes its prompts, documents, chunks, widget, origins, conversations and analytics", async () => {
    // Created as the API creates bots: with its widget configuration.
    const { bot, workspace } = await makeWorkspaceWithBot();
    const other = await makeWorkspaceWithBot();
    await addDocumentWithChunk(other.bot);

    const [prompt] = await db.db
      .insert(s.botPrompts)
      .values({ botId: bot.id, version: 1, name: "v1", content: "Be helpful", isActive: true })
      .returning();
    await db.db.update(s.bots).set({ activePromptId: prompt!.id }).where(eq(s.bots.id, bot.id));
    const { doc, chunk } = await addDocumentWithChunk(bot);
    await db.db.insert(s.botAllowedOrigins).values({ botId: bot.id, origin: "https://acme.test" });
    await db.db.insert(s.documentRetrievalStats).values({ documentId: doc.id, botId: bot.id, retrievalCount: 3 });
    const [conversation] = await db.db
      .insert(s.conversations)
      .values({ botId: bot.id, channel: "widget", visitorId: "v1" })
      .returning();
    const [message] = await db.db
      .insert(s.messages)
      .values({ conversationId: conversation!.id, role: "ASSISTANT", content: "Hi [1]" })
      .returning();
    await db.db
      .insert(s.messageCitations)
      .values({ messageId: message!.id, chunkId: chunk.id, documentId: doc.id, rank: 1, score: 0.9, quote: "q" });
    const [log] = await db.db
      .insert(s.analyticsQueryLogs)
      .values({ botId: bot.id, channel: "widget", queryText: "hello", messageId: message!.id })
      .returning();
    await db.db.insert(s.analyticsFeedback).values({ queryLogId: log!.id, rating: 1 });
    await createApiKey(db.db, { workspaceId: workspace.id, botId: bot.id, key: fakeKey("f"), scopes: ["chat"] });

    await db.db.delete(s.bots).where(eq(s.bots.id, bot.id));

    const countFor = async (table: string) => {
      const [row] = await db.sql.unsafe<{ n: number }[]>(
        `select count(*)::int as n from ${table} where bot_id = $1`,
        [bot.id],
      );
      return row!.n;
    };
    for (const table of [
      "bot_prompts", "bot_documents", "bot_document_chunks", "widget_configurations",
      "bot_allowed_origins", "conversations", "analytics_query_logs", "document_retrieval_stats", "api_keys",
    ]) {
      expect({ table, n: await countFor(table) }).toEqual({ table, n: 0 });
    }
    const [orphans] = await db.sql<{ messages: number; citations: number; feedback: number }[]>`
      select (select count(*)::int from messages where id = ${message!.id}) as messages,
             (select count(*)::int from message_citations where message_id = ${message!.id}) as citations,
             (select count(*)::int from analytics_feedback where query_log_id = ${log!.id}) as feedback`;
    expect(orphans).toEqual({ messages: 0, citations: 0, feedback: 0 });

    // The workspace and another tenant's bot are untouched.
    const [ws] = await db.sql`select count(*)::int as n from workspaces where id = ${workspace.id}`;
    expect(ws!.n).toBe(1);
    const [otherChunks] = await db.sql`select count(*)::int as n from bot_document_chunks where bot_id = ${other.bot.id}`;
    expect(otherChunks!.n).toBe(1);
  });
});

describe("deleting a workspace or a user", () => {
  it("removes the workspace's bots with all their content, and a user's sessions", async () => {
    const { bot, workspace, user } = await makeWorkspaceWithBot();
    await db.db.insert(s.sessions).values({ userId: user.id, tokenHash: "a".repeat(64), expiresAt: new Date(Date.now() + 1e6) });
    const { doc, chunk } = await addDocumentWithChunk(bot);
    const { apiKey: key } = await createApiKey(db.db, { workspaceId: workspace.id, botId: bot.id, key: fakeKey("e"), scopes: ["chat"] });
    const [conversation] = await db.db
      .insert(s.conversations)
      .values({ botId: bot.id, channel: "api", apiKeyId: key.id, userId: user.id })
      .returning();
    const [message] = await db.db
      .insert(s.messages)
      .values({ conversationId: conversation!.id, role: "ASSISTANT", content: "x [1]" })
      .returning();
    await db.db
      .insert(s.messageCitations)
      .values({ messageId: message!.id, chunkId: chunk.id, documentId: doc.id, rank: 1, score: 1, quote: "q" });
    await db.db
      .insert(s.analyticsQueryLogs)
      .values({ botId: bot.id, channel: "api", queryText: "q", conversationId: conversation!.id, messageId: message!.id, queryingUserId: user.id });

    await db.db.delete(s.workspaces).where(eq(s.workspaces.id, workspace.id));
    const [left] = await db.sql<{ bots: number; chunks: number; messages: number; logs: number }[]>`
      select (select count(*)::int from bots where id = ${bot.id}) as bots,
             (select count(*)::int from bot_document_chunks where bot_id = ${bot.id}) as chunks,
             (select count(*)::int from messages where id = ${message!.id}) as messages,
             (select count(*)::int from analytics_query_logs where bot_id = ${bot.id}) as logs`;
    expect(left).toEqual({ bots: 0, chunks: 0, messages: 0, logs: 0 });

    await db.db.delete(s.users).where(eq(s.users.id, user.id));
    const [sessionsLeft] = await db.sql`select count(*)::int as n from sessions where user_id = ${user.id}`;
    expect(sessionsLeft!.n).toBe(0);
  });
});

describe("sql sanity", () => {
  it("orders by cosine distance through the vector operator", async () => {
    const { bot } = await makeWorkspaceWithBot();
    await addDocumentWithChunk(bot, 3);
    const query = `[${unitVector(3).join(",")}]`;
    const rows = await db.db.execute(
      sql`select 1 - (embedding <=> ${query}::vector) as similarity from bot_document_chunks where bot_id = ${bot.id}`,
    );
    expect(Number((rows[0] as { similarity: number }).similarity)).toBeCloseTo(1, 6);
  });
});
