/**
 * Curated answers for admins: list, create, edit (the question is embedded again when it
 * changes), enable/disable and delete; and the unanswered-questions inbox they are written
 * from. Embeddings come from the workspace's embedder, as the answer path's lookups do.
 */
import type { Database } from "@docent/db/client";
import type { Bot } from "@docent/db/queries/bots";
import {
  type CuratedAnswerRow,
  deleteCuratedAnswer,
  getCuratedAnswer,
  insertCuratedAnswer,
  listCuratedAnswers,
  updateCuratedAnswer,
} from "@docent/db/queries/curated-answers";
import { listInboxQuestions, markQuestionsHandled, setQuestionEmbeddings } from "@docent/db/queries/inbox";
import type { CuratedAnswerDto, InboxDto } from "@docent/contracts/curated";
import { NotFoundError } from "@docent/service-kit/errors";
import { ChatError } from "../errors";
import type { QueryEmbedder } from "../retrieval/types";
import { groupQuestions } from "./grouping";

/** Most open questions one inbox view groups (the most recent ones). */
export const INBOX_MAX_QUESTIONS = 1_000;
const EMBED_BATCH = 64;

export const curatedDto = (r: CuratedAnswerRow): CuratedAnswerDto => ({
  id: r.id,
  botId: r.botId,
  question: r.question,
  answer: r.answer,
  enabled: r.enabled,
  hitCount: r.hitCount,
  lastHitAt: r.lastHitAt?.toISOString() ?? null,
  embeddingModel: r.embeddingModel,
  createdBy: r.createdBy,
  updatedBy: r.updatedBy,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export function createCuratedService(deps: {
  db: Database;
  embedderFor(workspaceId: string): Promise<QueryEmbedder>;
  now?: () => Date;
}) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  async function embedAll(bot: Bot, texts: string[]) {
    const embedder = await deps.embedderFor(bot.workspaceId);
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += EMBED_BATCH) {
      const batch = await embedder.embed(texts.slice(i, i + EMBED_BATCH));
      if (batch.length !== Math.min(EMBED_BATCH, texts.length - i)) {
        throw new ChatError("EMBEDDING_FAILED", "The embedder returned the wrong number of vectors", { retryable: true });
      }
      vectors.push(...batch);
    }
    return { model: embedder.id, vectors };
  }

  async function list(bot: Bot, q: { limit: number; offset: number; search?: string }) {
    const page = await listCuratedAnswers(db, { botId: bot.id, ...q });
    return { items: page.items.map(curatedDto), total: page.total };
  }

  async function get(bot: Bot, id: string) {
    const row = await getCuratedAnswer(db, { botId: bot.id, id });
    if (!row) throw new NotFoundError("Curated answer");
    return curatedDto(row);
  }

  /** Embeds first (an HTTP call for remote embedders), then stores the answer and marks the inbox questions it handles in one transaction. */
  async function create(
    bot: Bot,
    input: { question: string; answer: string; enabled: boolean; handlesQueryLogIds?: string[] },
    userId: string | null,
  ) {
    const { model, vectors } = await embedAll(bot, [input.question]);
    return db.transaction(async (tx) => {
      const row = await insertCuratedAnswer(tx, {
        botId: bot.id,
        question: input.question,
        answer: input.answer,
        embedding: vectors[0]!,
        embeddingModel: model,
        enabled: input.enabled,
        createdBy: userId,
      });
      const handled = input.handlesQueryLogIds?.length
        ? await markQuestionsHandled(tx, { botId: bot.id, queryLogIds: input.handlesQueryLogIds, at: now() })
        : 0;
      return { ...curatedDto(row), handledQuestions: handled };
    });
  }

  async function update(
    bot: Bot,
    id: string,
    patch: { question?: string; answer?: string; enabled?: boolean },
    userId: string | null,
  ) {
    const current = await getCuratedAnswer(db, { botId: bot.id, id });
    if (!current) throw new NotFoundError("Curated answer");
    const reembed = patch.question !== undefined && patch.question !== current.question;
    const embedded = reembed ? await embedAll(bot, [patch.question!]) : null;
    const row = await updateCuratedAnswer(
      db,
      { botId: bot.id, id },
      {
        ...patch,
        ...(embedded ? { embedding: embedded.vectors[0]!, embeddingModel: embedded.model } : {}),
        updatedBy: userId,
      },
    );
    if (!row) throw new NotFoundError("Curated answer");
    return curatedDto(row);
  }

  async function remove(bot: Bot, id: string) {
    if (!(await deleteCuratedAnswer(db, { botId: bot.id, id }))) throw new NotFoundError("Curated answer");
  }

  /**
   * Open unanswered questions of the period grouped by similarity. Questions logged
   * without an embedding of the workspace's current embedder are embedded now and the
   * vectors stored, so the next view reuses them.
   */
  async function inbox(bot: Bot, q: { from: string; to: string; similarity: number }, weakScore: number): Promise<InboxDto> {
    const start = new Date(`${q.from}T00:00:00Z`);
    const end = new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000);
    const questions = await listInboxQuestions(db, {
      botId: bot.id,
      start,
      end,
      weakScore,
      refusalText: bot.modelSettings.refusalText,
      limit: INBOX_MAX_QUESTIONS + 1,
    });
    const truncated = questions.length > INBOX_MAX_QUESTIONS;
    const open = questions.slice(0, INBOX_MAX_QUESTIONS);
    if (open.length === 0) return { groups: [], questions: 0, truncated: false };

    const embedder = await deps.embedderFor(bot.workspaceId);
    const missing = open.filter((x) => !x.embedding || x.embeddingModel !== embedder.id);
    if (missing.length > 0) {
      const { model, vectors } = await embedAll(bot, missing.map((x) => x.question));
      missing.forEach((x, i) => {
        x.embedding = vectors[i]!;
        x.embeddingModel = model;
      });
      await setQuestionEmbeddings(db, {
        botId: bot.id,
        embeddingModel: model,
        rows: missing.map((x) => ({ queryLogId: x.queryLogId, embedding: x.embedding! })),
      });
    }
    const groups = groupQuestions(
      open.map((x) => ({ id: x.queryLogId, text: x.question, at: x.createdAt, embedding: x.embedding!, x })),
      q.similarity,
    );
    return {
      questions: open.length,
      truncated,
      groups: groups.map((g) => {
        const members = g.members.map((m) => m.x);
        const examples: string[] = [];
        const seen = new Set<string>();
        for (const m of members) {
          const key = m.question.trim().toLowerCase();
          if (seen.has(key)) continue;
          seen.add(key);
          examples.push(m.question);
          if (examples.length === 5) break;
        }
        return {
          queryLogIds: members.map((m) => m.queryLogId),
          count: members.length,
          examples,
          lastSeenAt: new Date(Math.max(...members.map((m) => m.createdAt.getTime()))).toISOString(),
          reasons: [
            ...(members.some((m) => m.refused) ? (["refused"] as const) : []),
            ...(members.some((m) => m.noGoodSource) ? (["no_good_source"] as const) : []),
            ...(members.some((m) => m.ratedDown) ? (["rated_down"] as const) : []),
          ],
        };
      }),
    };
  }

  async function markHandled(bot: Bot, queryLogIds: string[]) {
    return { handled: await markQuestionsHandled(db, { botId: bot.id, queryLogIds, at: now() }) };
  }

  return { list, get, create, update, remove, inbox, markHandled };
}

export type CuratedService = ReturnType<typeof createCuratedService>;
