/**
 * The answer pipeline shared by every channel: quota, conversation, retrieval, strict
 * refusal, prompt, generation (LLM or extractive), citation verification, then one
 * transaction storing the answer, its citations, the query log and the counters.
 */
import type { CitationDto } from "@docent/contracts/chat-stream";
import type { MetadataFilter } from "@docent/contracts/metadata";
import { MAX_QUESTION_CHARS } from "@docent/contracts/chat";
import { readRagConfig } from "@docent/contracts/json";
import { randomUUID } from "node:crypto";
import type { Logger } from "@docent/config/logger";
import type { Database, Transaction } from "@docent/db/client";
import { insertQueryLog, type QueryLogInput, recordDocumentRetrievals } from "@docent/db/queries/analytics";
import type { Bot } from "@docent/db/queries/bots";
import { getQuestionTermCoverage } from "@docent/db/queries/answer-support";
import {
  type Conversation,
  createConversation,
  getConversation,
  touchBotActivity,
  touchConversation,
} from "@docent/db/queries/conversations";
import { getRecentMessages, insertCitations, insertMessage } from "@docent/db/queries/messages";
import { topicForQuestion } from "@docent/db/queries/topics";
import { getPrompt } from "@docent/db/queries/prompts";
import { incrementUsage } from "@docent/db/queries/usage";
import { recordUsage } from "@docent/db/queries/usage-metrics";
import type { WebhookEmitter } from "@docent/service-kit/webhooks";
import { ChatError, errors } from "../errors";
import type { Responder } from "../llm/types";
import type { RetrieveParams } from "../retrieval/service";
import type { RetrievalResult, RetrievedChunk } from "../retrieval/types";
import { countTokens } from "../llm/tokens";
import { createCitationStream } from "./citations";
import { widenSources } from "./context";
import { buildPrompt } from "./prompt";
import { type SupportPolicy, supportingChunks } from "./support";
import { createQuota, type Quota } from "../usage/quota";
import { recordCuratedHit } from "@docent/db/queries/curated-answers";
import type { CuratedMatcher } from "./curated";

export type Channel = "widget" | "api" | "playground";

/** A citation as every endpoint returns it (the contract's shape). */
export type Citation = CitationDto;

export interface AskParams {
  bot: Bot;
  message: string;
  conversationId?: string;
  channel: Channel;
  actor: { userId?: string | null; apiKeyId?: string | null; visitorId?: string | null };
  conversationMetadata?: Record<string, unknown>;
  /**
   * The caller's own instructions (an OpenAI-compatible request's system messages): added
   * after the bot's prompt, never replacing its grounding rules.
   */
  instructions?: string;
  /** Prior turns supplied by the caller (OpenAI-compatible requests carry their own history). */
  history?: { role: "USER" | "ASSISTANT"; content: string }[];
  signal?: AbortSignal;
  /** Answer only from documents whose metadata match (the caller's filter, and for the widget the bot's fixed one). */
  filter?: MetadataFilter;
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
  /** Null for a curated answer (no model ran). */
  provider: Responder["provider"] | null;
  /** The curated answer that answered instead of retrieval and a model. */
  curated: { id: string; question: string } | null;
  usage: { inputTokens: number; outputTokens: number };
  latencyMs: number;
  retrieval: { mode: string; retrieved: number };
}

export interface ChatServiceDeps {
  db: Database;
  /** Retrieval; the app passes the search service (retrieval/search.ts), which adds the bot's reranking. */
  retrieval: { retrieve(params: RetrieveParams): Promise<RetrievalResult> };
  responderFor(workspaceId: string, botModel: string | null): Promise<Responder>;
  logger: Logger;
  /** Platform cap on generated tokens (LLM_MAX_TOKENS). */
  maxTokensCap: number;
  /** When a retrieved passage supports the question (strict mode and the offline reader). */
  support: SupportPolicy;
  /**
   * Embeds the question for topic assignment when retrieval did not (keyword mode);
   * without it such questions get no topic.
   */
  embedQuestion?(workspaceId: string, text: string): Promise<{ model: string; embedding: number[] }>;
  /** The monthly question allowance (default: the workspace's plan, from `db`). */
  quota?: Quota;
  /**
   * Curated answers (curated.ts): checked before retrieval, with the question embedded once
   * for both. Without it, questions always go to retrieval.
   */
  curated?: CuratedMatcher;
  now?: () => Date;
  /** Sends `conversation.created` to the workspace's webhooks; none when unset. */
  webhooks?: WebhookEmitter;
}

/** The `model` of a curated answer, in responses and the stored message's metadata. */
export const CURATED_MODEL = "curated";

/** Quotes are stored with the citation so they stay readable after a re-index. */
const QUOTE_CHARS = 1_000;
const HISTORY_MESSAGES = 20;
/** Longest question, in characters, on every channel. */
export { MAX_QUESTION_CHARS };

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
  const quota = deps.quota ?? createQuota({ db, now });

  /** The retrieved chunks that support the question (see support.ts). */
  async function supportedSources(bot: Bot, question: string, retrieved: RetrievalResult): Promise<RetrievedChunk[]> {
    if (retrieved.chunks.length === 0) return [];
    const coverage = await getQuestionTermCoverage(db, {
      botId: bot.id,
      question,
      textSearchConfig: bot.language,
      chunkIds: retrieved.chunks.map((c) => c.chunkId),
    });
    return supportingChunks(retrieved.chunks, coverage, retrieved.embeddingModel, deps.support);
  }

  /** Keyword-mode bots embed the question once, after the answer, only for its topic. */
  async function embedForTopics(bot: Bot, text: string) {
    if (!deps.embedQuestion) return null;
    try {
      return await deps.embedQuestion(bot.workspaceId, text);
    } catch (error) {
      logger.warn({ botId: bot.id, err: error }, "embedding the question for its topic failed; stored without topic");
      return null;
    }
  }

  /**
   * Stores one exchange in one transaction: the conversation when it is new, the question,
   * the answer, its query log (with the question's embedding, `questionVector` or embedded
   * here, and the topic chosen inside the insert), the usage counts and what only this kind
   * of answer adds (`alsoStore`, given the answer's time); then announces a new
   * conversation to the workspace's webhooks.
   */
  async function storeExchange(
    params: AskParams,
    x: {
      message: string;
      conversation: Conversation | undefined;
      ids: { conversationId: string; userMessageId: string; messageId: string };
      askedAt: Date;
      questionVector: { model: string; embedding: number[] } | null;
      answer: { content: string; metadata: Record<string, unknown> };
      queryLog: Pick<
        QueryLogInput,
        | "llmModelUsed"
        | "llmProviderUsed"
        | "responseTimeMs"
        | "sourceDocumentsCount"
        | "topScore"
        | "inputTokens"
        | "outputTokens"
        | "curatedAnswerId"
      >;
      alsoStore(tx: Transaction, at: Date): Promise<unknown>;
    },
  ): Promise<void> {
    const { bot, channel, actor } = params;
    const { conversationId, userMessageId, messageId } = x.ids;
    const questionVector = x.questionVector ?? (await embedForTopics(bot, x.message));
    // Strictly after the question (a fast answer can land in the same millisecond), so
    // transcripts ordered by time never show the answer first.
    const at = new Date(Math.max(now().getTime(), x.askedAt.getTime() + 1));
    await db.transaction(async (tx) => {
      if (!x.conversation) {
        await createConversation(tx, {
          id: conversationId,
          botId: bot.id,
          channel,
          visitorId: actor.visitorId ?? null,
          userId: actor.userId ?? null,
          apiKeyId: actor.apiKeyId ?? null,
          title: x.message.slice(0, 120),
          metadata: params.conversationMetadata ?? {},
        });
      }
      await insertMessage(tx, { id: userMessageId, conversationId, role: "USER", content: x.message, createdAt: x.askedAt });
      await insertMessage(tx, {
        id: messageId,
        conversationId,
        role: "ASSISTANT",
        content: x.answer.content,
        createdAt: at,
        metadata: x.answer.metadata,
      });
      await insertQueryLog(tx, {
        botId: bot.id,
        conversationId,
        messageId,
        queryingUserId: actor.userId ?? null,
        sessionId: actor.visitorId ?? null,
        channel,
        queryText: x.message,
        ...x.queryLog,
        // The topic is chosen inside this insert (one indexed lookup over the bot's topics).
        ...(questionVector
          ? {
              questionEmbedding: questionVector.embedding,
              questionEmbeddingModel: questionVector.model,
              topicId: topicForQuestion({ botId: bot.id, ...questionVector }),
            }
          : {}),
      });
      await x.alsoStore(tx, at);
      await recordUsage(tx, {
        workspaceId: bot.workspaceId,
        botId: bot.id,
        at,
        metrics: {
          messages: 1,
          api_calls: actor.apiKeyId ? 1 : 0,
          prompt_tokens: x.queryLog.inputTokens ?? 0,
          completion_tokens: x.queryLog.outputTokens ?? 0,
        },
      });
      await touchConversation(tx, conversationId, at);
      await touchBotActivity(tx, bot.id, at);
    });
    if (!x.conversation) {
      await deps.webhooks?.emit({
        workspaceId: bot.workspaceId,
        type: "conversation.created",
        data: { conversationId, botId: bot.id, channel, title: x.message.slice(0, 120), firstMessageId: userMessageId },
      });
    }
  }

  async function ask(params: AskParams, events: AskEvents = {}): Promise<ChatAnswer> {
    const started = performance.now();
    const { bot, channel } = params;
    const settings = bot.modelSettings;
    const message = params.message.trim();
    if (!message) throw errors.badRequest("message must not be empty", { field: "message" });
    if (message.length > MAX_QUESTION_CHARS) {
      throw errors.badRequest(`message is ${message.length} characters long; the limit is ${MAX_QUESTION_CHARS}`, {
        field: "message",
        maxChars: MAX_QUESTION_CHARS,
      });
    }
    if (bot.status === "DISABLED") throw new ChatError("BOT_DISABLED", "This bot is disabled");

    let conversation: Conversation | undefined;
    if (params.conversationId) {
      conversation = await getConversation(db, { botId: bot.id, conversationId: params.conversationId });
      const visitorMismatch = channel === "widget" && conversation?.visitorId !== (params.actor.visitorId ?? null);
      if (!conversation || conversation.channel !== channel || visitorMismatch) {
        throw new ChatError("CONVERSATION_NOT_FOUND", `Conversation ${params.conversationId} not found for this bot`, {
          details: { field: "conversationId" },
        });
      }
    }
    await quota.reserve(bot.workspaceId, "queries");

    const curated = deps.curated ? await deps.curated.match(bot, message) : { queryEmbedding: null, hit: null };
    if (curated.hit) return answerCurated(params, { message, conversation, started, events, ...curated, hit: curated.hit });

    const [retrieved, responder, prompt, history] = await Promise.all([
      retrieval.retrieve({
        bot,
        query: message,
        ...(params.filter ? { filter: params.filter } : {}),
        ...(curated.queryEmbedding ? { queryEmbedding: curated.queryEmbedding } : {}),
      }),
      deps.responderFor(bot.workspaceId, settings.model),
      bot.activePromptId ? getPrompt(db, { botId: bot.id, promptId: bot.activePromptId }) : undefined,
      params.history ??
        (conversation
          ? getRecentMessages(db, conversation.id, HISTORY_MESSAGES).then((rows) =>
              rows.filter((r) => r.role !== "SYSTEM").map((r) => ({ role: r.role as "USER" | "ASSISTANT", content: r.content })),
            )
          : []),
    ]);

    // Strict bots answer only from passages that support the question; this check runs on
    // every turn, so a follow-up cannot lean on earlier answers to leave the documents.
    // The offline reader quotes passages, so it too only reads supporting ones.
    const gated = settings.strict || responder.extractive;
    const sources = gated ? await supportedSources(bot, message, retrieved) : retrieved.chunks;
    const refuse = gated && sources.length === 0;
    // Neighbouring context (the bot's rag config): the model may read more than the chunk
    // it cites.
    const widened = refuse ? new Map<string, string>() : await widenSources(db, bot.id, sources, bot.ragConfig.context);
    const promptSources = sources.map((c, i) => ({
      index: i + 1,
      content: widened.get(c.chunkId) ?? c.content,
      score: c.score,
      documentName: c.documentName,
      page: c.page,
    }));
    const maxTokens = Math.min(settings.maxTokens, deps.maxTokensCap);
    const messages = refuse
      ? []
      : buildPrompt({
          systemPrompt: prompt?.content ?? null,
          callerInstructions: params.instructions ?? null,
          strict: settings.strict,
          refusalText: settings.refusalText,
          sources: promptSources,
          history,
          historyTokenBudget: settings.historyTokenBudget,
          question: message,
        });
    // The widget's daily budget: the most this answer can cost is reserved before it runs.
    await params.reserveTokens?.(refuse ? 0 : mostTokens(messages, maxTokens, responder.extractive ? promptSources : null));

    // Nothing is written before the answer is complete: the question, the answer and (for
    // a new conversation) the conversation are stored together at the end, so a failure
    // half-way leaves no trace. Their ids are announced now.
    const conversationId = conversation?.id ?? randomUUID();
    const userMessageId = randomUUID();
    const askedAt = now();
    const messageId = randomUUID();
    events.onStart?.({ conversationId, messageId, userMessageId });

    // Everything sent to the client goes through the citation stream, which emits only
    // verified, renumbered markers: the streamed text is exactly the stored text.
    const cite = createCitationStream(refuse ? 0 : sources.length);
    const send = (piece: string) => {
      if (piece) events.onToken?.(piece);
    };
    let inputTokens = 0;
    let outputTokens = 0;
    if (!refuse) {
      const generation = await responder.generate(
        {
          messages,
          question: message,
          sources: promptSources,
          temperature: settings.temperature,
          maxTokens,
          signal: params.signal,
        },
        (piece) => send(cite.push(piece)),
      );
      inputTokens = generation.inputTokens;
      outputTokens = generation.outputTokens;
    }
    send(cite.end());
    const verified = cite.result();
    let text = verified.text;
    if (!text) {
      // Nothing (or nothing but invalid markers) came back: the bot's refusal text.
      text = settings.refusalText;
      for (const piece of text.match(/\s*\S+/g) ?? []) send(piece);
    }
    const refused = refuse || text === settings.refusalText;
    if (verified.dropped.length > 0) {
      logger.warn({ botId: bot.id, dropped: verified.dropped }, "answer cited sources that were not given; markers removed");
    }
    const citations: Citation[] = refuse
      ? []
      : verified.cited.map((n, i) => {
          const c = sources[n - 1]!;
          return {
            index: i + 1,
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

    await storeExchange(params, {
      message,
      conversation,
      ids: { conversationId, userMessageId, messageId },
      askedAt,
      questionVector: retrieved.queryEmbedding ?? curated.queryEmbedding,
      answer: {
        content: text,
        metadata: {
          model: responder.model,
          provider: responder.provider,
          inputTokens,
          outputTokens,
          latencyMs,
          extractive: responder.extractive && !refused,
          retrievalMode: retrieved.mode,
          refused,
        },
      },
      queryLog: {
        llmModelUsed: responder.model,
        llmProviderUsed: responder.provider,
        responseTimeMs: latencyMs,
        sourceDocumentsCount: new Set(sources.map((s) => s.documentId)).size,
        topScore: retrieved.chunks[0]?.score ?? null,
        inputTokens,
        outputTokens,
      },
      async alsoStore(tx, at) {
        await insertCitations(
          tx,
          messageId,
          citations.map((c) => ({ rank: c.index, chunkId: c.chunkId, documentId: c.documentId, score: c.score, quote: c.quote })),
        );
        await recordDocumentRetrievals(tx, {
          botId: bot.id,
          retrieved: retrieved.chunks.map((c) => c.documentId),
          cited: citations.map((c) => c.documentId),
          at,
        });
        if (inputTokens || outputTokens) await incrementUsage(tx, bot.workspaceId, { inputTokens, outputTokens }, at);
      },
    });

    return {
      conversationId,
      messageId,
      userMessageId,
      content: text,
      citations,
      extractive: responder.extractive && !refused,
      refused,
      model: responder.model,
      provider: responder.provider,
      curated: null,
      usage: { inputTokens, outputTokens },
      latencyMs,
      retrieval: { mode: retrieved.mode, retrieved: retrieved.chunks.length },
    };
  }

  /**
   * The curated answer's text as the answer: no retrieval, no model, no tokens. Stored like
   * any answer (marked `curated` in the message's metadata and the query log) with one
   * more hit on the curated answer, in the same transaction.
   */
  async function answerCurated(
    params: AskParams,
    ctx: {
      message: string;
      conversation: Conversation | undefined;
      started: number;
      events: AskEvents;
      queryEmbedding: { model: string; embedding: number[] } | null;
      hit: { id: string; question: string; answer: string; similarity: number };
    },
  ): Promise<ChatAnswer> {
    const { bot } = params;
    const { message, conversation, events, hit } = ctx;
    await params.reserveTokens?.(0);
    const conversationId = conversation?.id ?? randomUUID();
    const userMessageId = randomUUID();
    const messageId = randomUUID();
    const askedAt = now();
    events.onStart?.({ conversationId, messageId, userMessageId });
    for (const piece of hit.answer.match(/\s*\S+/g) ?? []) events.onToken?.(piece);
    const text = hit.answer;
    const curated = { id: hit.id, question: hit.question };
    const latencyMs = Math.round(performance.now() - ctx.started);
    await storeExchange(params, {
      message,
      conversation,
      ids: { conversationId, userMessageId, messageId },
      askedAt,
      questionVector: ctx.queryEmbedding,
      answer: { content: text, metadata: { model: CURATED_MODEL, latencyMs, curated } },
      queryLog: {
        llmModelUsed: CURATED_MODEL,
        llmProviderUsed: null,
        responseTimeMs: latencyMs,
        sourceDocumentsCount: 0,
        topScore: hit.similarity,
        inputTokens: 0,
        outputTokens: 0,
        curatedAnswerId: hit.id,
      },
      alsoStore: (tx, at) => recordCuratedHit(tx, { botId: bot.id, id: hit.id, at }),
    });
    return {
      conversationId,
      messageId,
      userMessageId,
      content: text,
      citations: [],
      extractive: false,
      refused: false,
      model: CURATED_MODEL,
      provider: null,
      curated,
      usage: { inputTokens: 0, outputTokens: 0 },
      latencyMs,
      retrieval: { mode: readRagConfig(bot.ragConfig).retrievalMode, retrieved: 0 },
    };
  }

  return { ask };
}
