/**
 * Security regression (issue #12, item 3), chat service: a suspended user's key kept
 * answering chats. Keys are checked at use against their creator: suspended, or no
 * longer a member of the key's workspace, and the key stops.
 */
import { ensureCatalog } from "@docent/db/catalog";
import type { ApiKeyScope } from "@docent/contracts/json";
import { addMember, removeMember } from "@docent/db/queries/members";
import { createUser, updateUser } from "@docent/db/queries/users";
import { newApiKey } from "@docent/service-kit/crypto/tokens";
import { createLocalEmbedder } from "@docent/embeddings";
import { useTestDatabase } from "@docent/testing/db";
import { createApiKey } from "@docent/testing/factories";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../../test-support/app";
import { addDocument, createWorkspaceWithBot } from "../../test-support/fixtures";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const app = await buildTestApp(db, redis);
afterAll(() => app.close());
const { workspace, bot } = await createWorkspaceWithBot(db.db);
await addDocument(db.db, createLocalEmbedder(), bot, "returns.md", ["Returns are free within thirty days of delivery."]);

async function keyOf(userEmail: string, scopes: ApiKeyScope[] = ["chat", "bots:read"]) {
  const user = await createUser(db.db, { email: userEmail });
  await addMember(db.db, { workspaceId: workspace.id, userId: user.id, role: "ADMIN" });
  const { secret } = await createApiKey(db.db, { workspaceId: workspace.id, key: newApiKey(), createdBy: user.id, scopes });
  return { user, secret };
}

const chat = (secret: string) =>
  app.inject({
    method: "POST",
    url: `/v1/bots/${bot.id}/chat`,
    headers: { authorization: `Bearer ${secret}` },
    payload: { message: "Are returns free?", stream: false },
  });

describe("chat refuses keys whose creator lost access", () => {
  it("while the creator is suspended", async () => {
    const { user, secret } = await keyOf("suspended-creator@example.com");
    expect((await chat(secret)).statusCode).toBe(200);
    await updateUser(db.db, user.id, { status: "SUSPENDED" });
    const refused = await chat(secret);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toBe("API_KEY_OWNER_INACTIVE");
    await updateUser(db.db, user.id, { status: "ACTIVE" });
    expect((await chat(secret)).statusCode).toBe(200);
  });

  it("once the creator is no longer a member of the workspace", async () => {
    const { user, secret } = await keyOf("removed-creator@example.com");
    expect((await chat(secret)).statusCode).toBe(200);
    await removeMember(db.db, { workspaceId: workspace.id, userId: user.id });
    expect((await chat(secret)).statusCode).toBe(401);
  });
});
