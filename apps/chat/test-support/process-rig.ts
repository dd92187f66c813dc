/**
 * The rig of the chat process tests: the compiled service (its shipped start command)
 * against a per-file database and Redis, a test model that streams its reply slowly, and
 * one bot holding a warranty document with an API key of its workspace. The model's reply
 * is "The warranty lasts three years [1]." followed by `replyWords` words named
 * `<wordPrefix>0`, `<wordPrefix>1`..., so a test can tell a whole answer from a cut one.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { fileURLToPath } from "node:url";
import { createLocalEmbedder } from "@docent/embeddings";
import { useTestDatabase } from "@docent/testing/db";
import { assertBuilt, freePort, spawnService, type ServiceProcess } from "@docent/testing/process";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, beforeAll } from "vitest";
import { createTestApiKey } from "./app";
import { addDocument, createWorkspaceWithBot } from "./fixtures";
import { startTestLlmServer } from "./llm-server";

const chatDir = fileURLToPath(new URL("..", import.meta.url));

export async function createChatProcessRig(options: { pieceDelayMs: number; replyWords: number; wordPrefix: string }) {
  const db = await useTestDatabase();
  const redis = useTestRedis();
  await ensureCatalog(db.db);
  const llm = await startTestLlmServer({ pieceDelayMs: options.pieceDelayMs });
  const words = Array.from({ length: options.replyWords }, (_, i) => `${options.wordPrefix}${i}`).join(" ");
  llm.setReply(() => `The warranty lasts three years [1]. ${words}.`);
  const { workspace, bot } = await createWorkspaceWithBot(db.db);
  await addDocument(db.db, createLocalEmbedder(), bot, "warranty.txt", ["Every router carries a three-year warranty covering hardware defects."]);
  const key = await createTestApiKey(db.db, workspace.id);
  const services: ServiceProcess[] = [];
  beforeAll(() => assertBuilt(chatDir));
  afterAll(async () => {
    for (const service of services) if (service.child.exitCode === null) service.child.kill("SIGKILL");
    await llm.close();
  });

  /** Starts the service on a free port (metrics on another) and waits until it listens. */
  async function start(env: Record<string, string> = {}) {
    const port = await freePort();
    const service = spawnService(chatDir, {
      HOST: "127.0.0.1",
      PORT: String(port),
      METRICS_PORT: "0",
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      CHAT_REDIS_PREFIX: redis.prefix,
      QUEUE_PREFIX: redis.prefix,
      LLM_BASE_URL: llm.baseUrl,
      LLM_API_KEY: "test-key",
      LLM_MODEL: "test-model",
      ...env,
    });
    services.push(service);
    await service.waitForLine(/"msg":"chat service listening"/);
    return { service, port, base: `http://127.0.0.1:${port}` };
  }

  return { bot, key, start, llm };
}
