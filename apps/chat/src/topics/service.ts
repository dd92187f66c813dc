/**
 * Topic definitions and suggestions for one bot. A topic's centroid is the normalised
 * mean of the unit embeddings of its description and example questions, computed with
 * the workspace's embedder (the one that embeds questions for retrieval) on every write;
 * each write then re-assigns the last TOPIC_REASSIGN_DAYS days of questions from their
 * stored embeddings, in the same transaction.
 */
import { TOPIC_REASSIGN_DAYS, type TopicBody } from "@docent/contracts/topics";
import type { Database } from "@docent/db/client";
import type { Bot } from "@docent/db/queries/bots";
import {
  deleteTopic,
  getTopic,
  insertTopic,
  listUnassignedQuestions,
  reassignTopics,
  setTopicThreshold,
  topicNameTaken,
  type TopicRow,
  updateTopic,
} from "@docent/db/queries/topics";
import { ConflictError, NotFoundError } from "@docent/service-kit/errors";
import type { QueryEmbedder } from "../retrieval/types";
import { agglomerate, topTerms } from "./cluster";

export interface TopicServiceDeps {
  db: Database;
  embedderFor(workspaceId: string): Promise<QueryEmbedder>;
  now?: () => Date;
}

/** Most recent unassigned questions clustered per request (O(n^2) memory, see cluster.ts). */
export const SUGGESTION_MAX_QUESTIONS = 400;
/** Mean pairwise cosine similarity a suggested cluster must keep. */
export const SUGGESTION_MIN_SIMILARITY = 0.3;
const SUGGESTION_LIMIT = 10;
const PALETTE = ["#1a7f5a", "#2563eb", "#c2410c", "#7c3aed", "#be123c", "#0e7490", "#a16207", "#4d7c0f", "#9333ea", "#475569"];

export function centroidOf(vectors: readonly (readonly number[])[]): number[] {
  const dims = vectors[0]?.length ?? 0;
  const sum = new Array<number>(dims).fill(0);
  for (const v of vectors) {
    const len = Math.hypot(...v) || 1;
    for (let i = 0; i < dims; i++) sum[i]! += v[i]! / len;
  }
  const len = Math.hypot(...sum) || 1;
  return sum.map((x) => x / len);
}

export type TopicService = ReturnType<typeof createTopicService>;

export function createTopicService(deps: TopicServiceDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const reassignSince = () => new Date(now().getTime() - TOPIC_REASSIGN_DAYS * 86_400_000);

  async function embedTopic(bot: Bot, body: TopicBody) {
    const embedder = await deps.embedderFor(bot.workspaceId);
    const texts = [...(body.description ? [body.description] : []), ...body.examples];
    const vectors = await embedder.embed(texts);
    return { centroid: centroidOf(vectors), embeddingModel: embedder.id };
  }

  async function assertNameFree(botId: string, name: string, exceptId?: string) {
    if (await topicNameTaken(db, { botId, name, exceptId })) {
      throw new ConflictError(`This bot already has a topic named "${name}"`, { details: { field: "name" } });
    }
  }

  async function create(bot: Bot, body: TopicBody): Promise<{ topic: TopicRow; reassigned: number }> {
    await assertNameFree(bot.id, body.name);
    // Embedding may call a remote API: done before the transaction opens.
    const vectors = await embedTopic(bot, body);
    return db.transaction(async (tx) => {
      const topic = await insertTopic(tx, bot.id, { ...body, ...vectors });
      return { topic, reassigned: await reassignTopics(tx, { botId: bot.id, since: reassignSince() }) };
    });
  }

  async function update(bot: Bot, topicId: string, body: TopicBody): Promise<{ topic: TopicRow; reassigned: number }> {
    if (!(await getTopic(db, { botId: bot.id, topicId }))) throw new NotFoundError("Topic");
    await assertNameFree(bot.id, body.name, topicId);
    const vectors = await embedTopic(bot, body);
    return db.transaction(async (tx) => {
      const topic = await updateTopic(tx, { botId: bot.id, topicId }, { ...body, ...vectors });
      if (!topic) throw new NotFoundError("Topic");
      return { topic, reassigned: await reassignTopics(tx, { botId: bot.id, since: reassignSince() }) };
    });
  }

  async function remove(bot: Bot, topicId: string): Promise<void> {
    await db.transaction(async (tx) => {
      if (!(await deleteTopic(tx, { botId: bot.id, topicId }))) throw new NotFoundError("Topic");
      await reassignTopics(tx, { botId: bot.id, since: reassignSince() });
    });
  }

  async function setThreshold(bot: Bot, threshold: number): Promise<number> {
    return db.transaction(async (tx) => {
      await setTopicThreshold(tx, bot.id, threshold);
      return reassignTopics(tx, { botId: bot.id, since: reassignSince() });
    });
  }

  /** Clusters of the last `days` days' unassigned questions, largest first. */
  async function suggest(bot: Bot, days: number) {
    const embedder = await deps.embedderFor(bot.workspaceId);
    const questions = await listUnassignedQuestions(db, {
      botId: bot.id,
      since: new Date(now().getTime() - days * 86_400_000),
      model: embedder.id,
      limit: SUGGESTION_MAX_QUESTIONS,
    });
    const texts = questions.map((q) => q.text);
    const clusters = agglomerate(
      questions.map((q) => q.embedding),
      SUGGESTION_MIN_SIMILARITY,
    )
      .filter((c) => c.members.length >= 2)
      .sort((a, b) => b.members.length - a.members.length || a.members[0]! - b.members[0]!)
      .slice(0, SUGGESTION_LIMIT);
    return {
      considered: questions.length,
      suggestions: clusters.map((c, i) => {
        const top = topTerms(texts, c.members, 5);
        const examples = [...new Set(c.members.map((m) => texts[m]!))].slice(0, 5);
        const name = (top.slice(0, 3).join(" ") || examples[0]!).slice(0, 80);
        return {
          size: c.members.length,
          terms: top,
          examples,
          proposal: {
            name: name.charAt(0).toUpperCase() + name.slice(1),
            color: PALETTE[i % PALETTE.length]!,
            description: `Questions about ${top.join(", ")}`.slice(0, 2000),
            examples,
          },
        };
      }),
    };
  }

  return { create, update, remove, setThreshold, suggest };
}
