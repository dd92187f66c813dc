/**
 * The answer pipeline shared by every channel: quota, conversation, retrieval, strict
 * refusal, prompt, generation (LLM or extractive), citation verification, then one
 * transaction storing the answer, its citations, the query log and the counters.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { getMonthlyQueries, insertQueryLog, recordDocumentRetrievals, reserveMonthlyQuery } from "@docent/db/queries/analytics";
import type { Bot } from "@docent/db/queries/bots";
import { createConversation, getConversation, touchBotActivity, touchConversation } from "@docent/db/queries/conversations";
import { getRecentMessages, insertCitations, insertMessage } from "@docent/db/queries/messages";
import { getPrompt } from "@docent/db/queries/prompts";
import { getCurrentPlan, incrementUsage, periodStartOf, QuotaExceededError } from "@docent/db/queries/usage";
import { ChatError, errors } from "../errors";
import type { Responder } from "../llm/types";
import type { RetrievalService } from "../retrieval/service";
import type { RetrievedChunk } from "../retrieval/types";
import { verifyCitations } from "./citations";
import { countTokens } from "../llm/tokens";
import { buildPrompt } from "./prompt";

export type Channel = "widget" | "api" | "playground";

/** A citation as every endpoint returns it. */
export interface Citation {
  /** The [n] marker in the answer. */
  index: number;
  chunkId: string;
  documentId: string;
  documentName: string;
  page: number | null;
  headingPath: string[];
  score: number;
  quote: string;
}

export interface AskParams {
  bot: Bot;
  message: string;
  conversationId?: string;
  channel: Channel;
  actor: { userId?: string | null; apiKeyId?: string | null; visitorId?: string | null };
  conversationMetadata?: Record<string, unknown>;
  /** Prior turns supplied by the caller (OpenAI-compatible requests carry their own history). */
  history?: { role: "USER" | "ASSISTANT"; content: string }[];
  signal?: AbortSignal;
  /**
   * Called once the prompt is known and before anything is stored or streamed, with the
   * most tokens (in + out) the answer can cost; throwing refuses the question. The widget
   * reserves its daily token budget here.
   */
  reserveTokens?(maxTokens: number): Promise<void>;
}

export interface AskEvents {
  onStart?(e: { conversationId: string; messageId: string; userMessageId: string }): void;
  onToken?(text: string): void;
}

export interface ChatAnswer {
  conversationId: string;
  messageId: string;
  userMessageId: string;
  content: string;
  citations: Citation[];
  extractive: boolean;
  /** True when strict mode answered with the bot's refusal text. */
  refused: boolean;
  model: string;
  provider: Responder["provider"];
  usage: { inputTokens: number; outputTokens: number };
  latencyMs: number;
  retrieval: { mode: string; retrieved: number };
}

export interface ChatServiceDeps {
  db: Database;
  retrieval: RetrievalService;
  responderFor(workspaceId: string, botModel: string | null): Promise<Responder>;
  logger: Logger;
  /** Platform cap on generated tokens (LLM_MAX_TOKENS). */
  maxTokensCap: number;
  /** In strict mode a chunk found only by the vector leg counts as relevant from this similarity. */
  minRelevantSimilarity: number;
  now?: () => Date;
}

/** Quotes are stored with the citation so they stay readable after a re-index. */
const QUOTE_CHARS = 1_000;
const HISTORY_MESSAGES = 20;

export type ChatService = ReturnType<typeof createChatService>;

/** OpenAI's chat format adds a few tokens per message and for priming the reply. */
const TOKENS_PER_MESSAGE = 4;
const REPLY_PRIMING_TOKENS = 3;

/**
 * The most an answer can cost, in + out: the prompt as counted with cl100k plus the output
 * cap. The extractive responder ignores the cap but only quotes sentences of its sources,
 * so its output is bounded by their size.
 */
export function mostTokens(
  messages: { content: string }[],
  maxTokens: number,
  extractiveSources: { content: string }[] | null,
): number {
  const prompt = messages.reduce((n, m) => n + countTokens(m.content) + TOKENS_PER_MESSAGE, REPLY_PRIMING_TOKENS);
  const output = extractiveSources
    ? Math.max(maxTokens, extractiveSources.reduce((n, s) => n + countTokens(s.content), 0) + 32)
    : maxTokens;
  return prompt + output;
}

export function createChatService(deps: ChatServiceDeps) {
  const { db, retrieval, logger } = deps;
  const now = deps.now ?? (() => new Date());

  async function reserveQuery(workspaceId: string) {
    const at = now();
    const periodStart = periodStartOf(at);
    const plan = await getCurrentPlan(db, workspaceId);
    const max = plan.maxQueriesPerMonth;
    if (await reserveMonthlyQuery(db, { workspaceId, periodStart, max })) return;
    const reset = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
    throw new ChatError(
      "QUOTA_EXCEEDED",
      429,
      `${QuotaExceededError.describe("queriesPerMonth", max, plan.name)} It resets on ${reset.toISOString().slice(0, 10)} (UTC).`,
      {
        details: {
          limit: "queriesPerMonth",
          max,
          used: await getMonthlyQueries(db, workspaceId, periodStart),
          plan: plan.name,
          resetsAt: reset.toISOString(),
        },
      },
    );
  }

  function isRelevant(chunk: RetrievedChunk) {
    return chunk.keyword !== undefined || (chunk.vector?.score ?? 0) >= deps.minRelevantSimilarity;
  }

  async function ask(params: AskParams, events: AskEvents = {}): Promise<ChatAnswer> {
    const started = performance.now();
    const { bot, channel } = params;
    const settings = bot.modelSettings;
    const message = params.message.trim();
    if (!message) throw errors.badRequest("message must not be empty");
    if (bot.status === "DISABLED") throw new ChatError("BOT_DISABLED", 409, "This bot is disabled");

    let conversation;
    if (params.conversationId) {
      conversation = await getConversation(db, { botId: bot.id, conversationId: params.conversationId });
      if (!conversation || conversation.channel !== channel) throw errors.notFound("Conversation");
      if (channel === "widget" && conversation.visitorId !== (params.actor.visitorId ?? null)) {
        throw errors.notFound("Conversation");
      }
    }
    await reserveQuery(bot.workspaceId);

    const [retrieved, responder, prompt, history] = await Promise.all([
      retrieval.retrieve({ bot, query: message }),
      deps.responderFor(bot.workspaceId, settings.model),
      bot.activePromptId ? getPrompt(db, { botId: bot.id, promptId: bot.activePromptId }) : undefined,
      params.history ??
        (conversation
          ? getRecentMessages(db, conversation.id, HISTORY_MESSAGES).then((rows) =>
              rows.filter((r) => r.role !== "SYSTEM").map((r) => ({ role: r.role as "USER" | "ASSISTANT", content: r.content })),
            )
          : []),
    ]);

    // Strict bots answer only from relevant sources; this check runs on every turn, so a
    // follow-up cannot lean on earlier answers to leave the documents.
    const sources = settings.strict ? retrieved.chunks.filter(isRelevant) : retrieved.chunks;
    const refuse = (settings.strict || responder.extractive) && sources.length === 0;
    const promptSources = sources.map((c, i) => ({
      index: i + 1,
      content: c.content,
      score: c.score,
      documentName: c.documentName,
      page: c.page,
    }));
    const maxTokens = Math.min(settings.maxTokens, deps.maxTokensCap);
    const messages = refuse
      ? []
      : buildPrompt({
          systemPrompt: prompt?.content ?? null,
          strict: settings.strict,
          refusalText: settings.refusalText,
          sources: promptSources,
          history,
          historyTokenBudget: settings.historyTokenBudget,
          question: message,
        });
    await params.reserveTokens?.(refuse ? 0 : mostTokens(messages, maxTokens, responder.extractive ? promptSources : null));

    conversation ??= await createConversation(db, {
      botId: bot.id,
      channel,
      visitorId: params.actor.visitorId ?? null,
      userId: params.actor.userId ?? null,
      apiKeyId: params.actor.apiKeyId ?? null,
      title: message.slice(0, 120),
      metadata: params.conversationMetadata ?? {},
    });
    const userMessage = await insertMessage(db, { conversationId: conversation.id, role: "USER", content: message });
    const messageId = randomUUID();
    events.onStart?.({ conversationId: conversation.id, messageId, userMessageId: userMessage.id });

    let text: string;
    let inputTokens = 0;
    let outputTokens = 0;
    if (refuse) {
      text = settings.refusalText;
      for (const piece of text.match(/\s*\S+/g) ?? []) events.onToken?.(piece);
    } else {
      const generation = await responder.generate(
        {
          messages,
          question: message,
          sources: promptSources,
          temperature: settings.temperature,
          maxTokens,
          signal: params.signal,
        },
        (piece) => events.onToken?.(piece),
      );
      text = generation.text.trim() || settings.refusalText;
      inputTokens = generation.inputTokens;
      outputTokens = generation.outputTokens;
    }

    const verified = verifyCitations(text, refuse ? 0 : sources.length);
    if (verified.dropped.length > 0) {
      logger.warn({ botId: bot.id, dropped: verified.dropped }, "answer cited sources that were not retrieved; markers removed");
    }
    const citations: Citation[] = verified.cited.map((n) => {
      const c = sources[n - 1]!;
      return {
        index: n,
        chunkId: c.chunkId,
        documentId: c.documentId,
        documentName: c.documentName,
        page: c.page,
        headingPath: c.headingPath,
        score: c.score,
        quote: c.content.slice(0, QUOTE_CHARS),
      };
    });
    const latencyMs = Math.round(performance.now() - started);
    const at = now();

    await db.transaction(async (tx) => {
      await insertMessage(tx, {
        id: messageId,
        conversationId: conversation.id,
        role: "ASSISTANT",
        content: verified.text,
        metadata: {
          model: responder.model,
          provider: responder.provider,
          inputTokens,
          outputTokens,
          latencyMs,
          extractive: responder.extractive && !refuse,
          retrievalMode: retrieved.mode,
        },
      });
      await insertCitations(
        tx,
        messageId,
        citations.map((c) => ({ rank: c.index, chunkId: c.chunkId, documentId: c.documentId, score: c.score, quote: c.quote })),
      );
      await insertQueryLog(tx, {
        botId: bot.id,
        conversationId: conversation.id,
        messageId,
        queryingUserId: params.actor.userId ?? null,
        sessionId: params.actor.visitorId ?? null,
        channel,
        queryText: message,
        llmModelUsed: responder.model,
        llmProviderUsed: responder.provider,
        responseTimeMs: latencyMs,
        sourceDocumentsCount: new Set(sources.map((s) => s.documentId)).size,
        topScore: retrieved.chunks[0]?.score ?? null,
        inputTokens,
        outputTokens,
      });
      await recordDocumentRetrievals(tx, {
        botId: bot.id,
        retrieved: retrieved.chunks.map((c) => c.documentId),
        cited: citations.map((c) => c.documentId),
        at,
      });
      if (inputTokens || outputTokens) await incrementUsage(tx, bot.workspaceId, { inputTokens, outputTokens }, at);
      await touchConversation(tx, conversation.id, at);
      await touchBotActivity(tx, bot.id, at);
    });

    return {
      conversationId: conversation.id,
      messageId,
      userMessageId: userMessage.id,
      content: verified.text,
      citations,
      extractive: responder.extractive && !refuse,
      refused: refuse,
      model: responder.model,
      provider: responder.provider,
      usage: { inputTokens, outputTokens },
      latencyMs,
      retrieval: { mode: retrieved.mode, retrieved: retrieved.chunks.length },
    };
  }

  return { ask };
}
