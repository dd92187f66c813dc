/**
 * The answer pipeline on real Postgres: extractive answers cite the right document,
 * strict refusal (also on follow-ups), the BYOK LLM path through the real `openai`
 * client against the test LLM server, citation verification, analytics and quotas.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { createLogger } from "@docent/config/logger";
import { upsertTenantSettings } from "@docent/db/queries/tenant-settings";
import { createPrompt } from "@docent/db/queries/prompts";
import * as s from "@docent/db/schema";
import { sharedGuardedFetch } from "@docent/outbound";
import { byokAad, createSecretBox, parseKeyRing } from "@docent/service-kit/crypto/secrets";
import { useTestDatabase } from "@docent/testing/db";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";
import { createBot, createPlan, subscribe } from "@docent/testing/factories";
import { createHashEmbedder } from "../../test-support/hash-embedder";
import { startTestLlmServer } from "../../test-support/llm-server";
import { ChatError } from "../errors";
import { EXTRACTIVE_PREFIX } from "../llm/extractive";
import { createResponderResolver } from "../llm/resolve";
import { createRetrievalService } from "../retrieval/service";
import { createChatService } from "./service";

const { db } = await useTestDatabase();
await ensureCatalog(db);
const llm = await startTestLlmServer({ apiKey: "sk-workspace-secret" });
afterAll(() => llm.close());

const embedder = createHashEmbedder();
const secrets = createSecretBox(parseKeyRing(`k1:${Buffer.alloc(32, 7).toString("base64")}`));
const chat = createChatService({
  db,
  retrieval: createRetrievalService({ db, embedderFor: async () => embedder }),
  responderFor: createResponderResolver({
    db,
    platform: { provider: "openai_compatible", baseUrl: undefined, apiKey: undefined, model: "platform-model", timeoutMs: 5_000 },
    secrets,
    // The workspace's test LLM server listens on 127.0.0.1 (ALLOW_PRIVATE_MODEL_URLS=true).
    workspaceFetch: sharedGuardedFetch(true),
  }),
  logger: createLogger({ service: "chat-test", level: "silent" }),
  maxTokensCap: 500,
  support: { minSupport: 0.5, minSimilarity: 0.3 },
});

const { workspace, bot } = await createWorkspaceWithBot(db, { name: "HR bot" });
const { document: handbook } = await addDocument(db, embedder, bot, "handbook.pdf", [
  { text: "Employees receive twenty-five days of paid vacation per year.", page: 7 },
  { text: "The cafeteria serves lunch from noon until two o'clock.", page: 2 },
]);
const { document: security } = await addDocument(db, embedder, bot, "security-policy.pdf", [
  { text: "Badges must be worn visibly at all times inside the building.", page: 1 },
]);

describe("extractive answers (no LLM configured)", () => {
  it("answers from the document holding the fact, cites it, and records the answer", async () => {
    const tokens: string[] = [];
    const answer = await chat.ask(
      { bot, message: "How many days of paid vacation do employees get?", channel: "api", actor: {} },
      { onToken: (t) => tokens.push(t) },
    );
    expect(answer.extractive).toBe(true);
    expect(answer.content.startsWith(EXTRACTIVE_PREFIX)).toBe(true);
    expect(answer.content).toContain("twenty-five days");
    expect(tokens.join("")).toBe(answer.content);
    expect(answer.citations[0]).toMatchObject({ index: 1, documentId: handbook.id, documentName: "handbook.pdf", page: 7 });

    const stored = await db.select().from(s.messageCitations).where(eq(s.messageCitations.messageId, answer.messageId));
    expect(stored.map((c) => c.documentId)).toContain(handbook.id);
    const [log] = await db.select().from(s.analyticsQueryLogs).where(eq(s.analyticsQueryLogs.messageId, answer.messageId));
    expect(log).toMatchObject({ channel: "api", llmProviderUsed: "local", queryText: "How many days of paid vacation do employees get?" });
    expect(log!.sourceDocumentsCount).toBeGreaterThan(0);
    const [stats] = await db.select().from(s.documentRetrievalStats).where(eq(s.documentRetrievalStats.documentId, handbook.id));
    expect(stats!.citationCount).toBe(1);
    const [message] = await db.select().from(s.messages).where(eq(s.messages.id, answer.messageId));
    expect(message!.metadata).toMatchObject({ extractive: true });
  });

  it("refuses in strict mode when nothing relevant is retrieved, including on a follow-up", async () => {
    const first = await chat.ask({ bot, message: "Where do badges have to be worn?", channel: "api", actor: {} });
    expect(first.citations[0]?.documentId).toBe(security.id);
    const followUp = await chat.ask({
      bot,
      message: "What is the capital of Mongolia?",
      conversationId: first.conversationId,
      channel: "api",
      actor: {},
    });
    expect(followUp.refused).toBe(true);
    expect(followUp.content).toBe(bot.modelSettings.refusalText);
    expect(followUp.citations).toEqual([]);
  });

  it("keeps conversations of one bot out of another bot's reach", async () => {
    const first = await chat.ask({ bot, message: "When is lunch served?", channel: "api", actor: {} });
    const otherBot = await createBot(db, { workspaceId: workspace.id });
    const error = await chat
      .ask({ bot: otherBot, message: "hi", conversationId: first.conversationId, channel: "api", actor: {} })
      .catch((e: unknown) => e);
    expect((error as ChatError).statusCode).toBe(404);
  });
});

const byok = await createWorkspaceWithBot(db, { name: "BYOK bot" });
await addDocument(db, embedder, byok.bot, "pricing.md", ["The Pro plan costs forty euros per month."]);
const { document: supportDoc } = await addDocument(db, embedder, byok.bot, "support.md", ["The Pro plan includes email support on weekdays."]);
await upsertTenantSettings(db, byok.workspace.id, {
  llmProvider: "openai_compatible",
  llmBaseUrl: llm.baseUrl,
  llmModel: "workspace-model",
  llmApiKeyCiphertext: secrets.seal("sk-workspace-secret", byokAad(byok.workspace.id, "llm")),
});
await createPrompt(db, { botId: byok.bot.id, name: "v1", content: "You are the pricing assistant of Acme.", createdBy: null, activate: true });
const [botRow] = await db.select().from(s.bots).where(eq(s.bots.id, byok.bot.id));

describe("LLM answers (workspace BYOK provider, real openai client)", () => {

  it("sends the system prompt, grounding rules and sources; streams tokens; drops unretrieved citations", async () => {
    llm.setReply(() => "The Pro plan costs forty euros per month [1], and it includes support [4].");
    const tokens: string[] = [];
    const answer = await chat.ask(
      { bot: botRow!, message: "How much is the Pro plan?", channel: "playground", actor: {} },
      { onToken: (t) => tokens.push(t) },
    );
    const request = llm.requests.at(-1)!;
    expect(request.authorization).toBe("Bearer sk-workspace-secret");
    expect(request.body.model).toBe("workspace-model");
    expect(request.body.stream).toBe(true);
    expect(request.body.max_tokens).toBe(500); // the bot's 800 capped by the platform
    const system = request.body.messages[0]!.content;
    expect(system).toContain("You are the pricing assistant of Acme.");
    expect(system).toMatch(/\[\d\] \(pricing\.md\)\nThe Pro plan costs forty euros per month\./);
    expect(tokens.join("")).toBe(answer.content);
    expect(answer.extractive).toBe(false);
    expect(answer.provider).toBe("openai_compatible");
    expect(answer.content).toBe("The Pro plan costs forty euros per month [1], and it includes support.");
    expect(answer.citations.map((c) => c.index)).toEqual([1]);
    expect(answer.usage.outputTokens).toBeGreaterThan(0);

    llm.setReply(() => "It is billed monthly [1].");
    await chat.ask({ bot: botRow!, message: "Is the Pro plan billed monthly?", conversationId: answer.conversationId, channel: "playground", actor: {} });
    const roles = llm.requests.at(-1)!.body.messages.map((m) => m.role);
    expect(roles).toEqual(["system", "user", "assistant", "user"]);
  });

  it("streams exactly the stored text: split markers, an invented [9] and [2] first, numbered 1..n in reading order", async () => {
    llm.setReply((r) => {
      const system = r.body.messages[0]!.content;
      // Cite the support document first, whatever its rank among the sources.
      const supportN = /\[(\d)\] \(support\.md\)/.exec(system)![1]!;
      const pricingN = /\[(\d)\] \(pricing\.md\)/.exec(system)![1]!;
      return ["Support is by email [", supportN, "] [", "9]. It costs forty euros [", `${pricingN}][${supportN}`, "] a month [1", "2]."];
    });
    const tokens: string[] = [];
    const answer = await chat.ask(
      { bot: botRow!, message: "What does the Pro plan cost and does it include email support?", channel: "api", actor: {} },
      { onToken: (t) => tokens.push(t) },
    );
    expect(answer.content).toBe("Support is by email [1]. It costs forty euros [2][1] a month.");
    expect(tokens.join("")).toBe(answer.content);
    expect(tokens.some((t) => /\[$|\[\d*$|9/.test(t))).toBe(false);
    expect(answer.citations.map((c) => [c.index, c.documentId])).toEqual([
      [1, supportDoc.id],
      [2, (await db.select().from(s.botDocuments).where(eq(s.botDocuments.name, "pricing.md")))[0]!.id],
    ]);
    const [stored] = await db.select().from(s.messages).where(eq(s.messages.id, answer.messageId));
    expect(stored!.content).toBe(answer.content);
    const storedCitations = await db.select().from(s.messageCitations).where(eq(s.messageCitations.messageId, answer.messageId));
    expect(storedCitations.map((c) => [c.rank, c.documentId]).sort()).toEqual(answer.citations.map((c) => [c.index, c.documentId]).sort());
  });

  it("stores nothing when the model fails half-way through an answer", async () => {
    const count = async () => ({
      conversations: (await db.select().from(s.conversations).where(eq(s.conversations.botId, byok.bot.id))).length,
      logs: (await db.select().from(s.analyticsQueryLogs).where(eq(s.analyticsQueryLogs.botId, byok.bot.id))).length,
    });
    const before = await count();
    llm.setReply(() => "The Pro plan costs forty euros per month [1] and more words follow here.");
    llm.breakAfter(3);
    try {
      const tokens: string[] = [];
      let started: { conversationId: string } | undefined;
      const error = await chat
        .ask({ bot: botRow!, message: "How much is the Pro plan?", channel: "api", actor: {} }, { onStart: (e) => (started = e), onToken: (t) => tokens.push(t) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChatError);
      expect((error as ChatError).statusCode).toBe(502);
      expect(tokens.join("")).toBe("The Pro plan");
      expect(await count()).toEqual(before);
      const orphan = await db.select().from(s.conversations).where(eq(s.conversations.id, started!.conversationId));
      expect(orphan).toEqual([]);
    } finally {
      llm.breakAfter(null);
    }
  });

  it("reports a provider failure as a retryable upstream error", async () => {
    llm.failWith(500);
    try {
      const error = await chat.ask({ bot: botRow!, message: "How much is the Pro plan?", channel: "api", actor: {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChatError);
      expect((error as ChatError).statusCode).toBe(502);
    } finally {
      llm.failWith(null);
    }
  });
});

describe("monthly query limit", () => {
  it("stops at the plan's limit with a message naming it and the reset date", async () => {
    const limited = await createWorkspaceWithBot(db);
    await addDocument(db, embedder, limited.bot, "faq.txt", ["Returns are accepted within thirty days."]);
    await subscribe(db, limited.workspace.id, await createPlan(db, { name: "Tiny", maxQueriesPerMonth: 2 }));
    for (let i = 0; i < 2; i++) await chat.ask({ bot: limited.bot, message: "returns?", channel: "api", actor: {} });
    const error = (await chat.ask({ bot: limited.bot, message: "returns?", channel: "api", actor: {} }).catch((e: unknown) => e)) as ChatError;
    expect(error.statusCode).toBe(429);
    expect(error.message).toMatch(/^Limit reached: 2 questions per month on the Tiny plan\. /);
    expect(error.message).toMatch(/resets on \d{4}-\d{2}-01/);
  });
});
