/**
 * Chat reads the admin's session from the cookie the API sets, under the API's settings:
 * an operator's SESSION_COOKIE_NAME (and lifetime) holds in both services.
 */
import { ensureCatalog } from "@docent/db/catalog";
import { addMember } from "@docent/db/queries/members";
import { createSession } from "@docent/db/queries/sessions";
import { createUser } from "@docent/db/queries/users";
import { newSessionToken, sha256Hex } from "@docent/service-kit/crypto/tokens";
import { useTestDatabase } from "@docent/testing/db";
import { useTestRedis } from "@docent/testing/redis";
import { afterAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../test-support/app";
import { createWorkspaceWithBot } from "../test-support/fixtures";

const db = await useTestDatabase();
const redis = useTestRedis();
await ensureCatalog(db.db);
const app = await buildTestApp(db, redis, { SESSION_COOKIE_NAME: "acme_admin" });
afterAll(() => app.close());

const { workspace, bot } = await createWorkspaceWithBot(db.db);
const user = await createUser(db.db, { email: `owner-${Date.now()}@example.com`, emailVerified: true });
await addMember(db.db, { workspaceId: workspace.id, userId: user.id, role: "OWNER" });
const token = newSessionToken();
await createSession(db.db, { userId: user.id, tokenHash: sha256Hex(token), expiresAt: new Date(Date.now() + 3600_000) });

const conversations = (cookie: string) => app.inject({ method: "GET", url: `/v1/bots/${bot.id}/conversations`, headers: { cookie } });

describe("the session cookie's name", () => {
  it("is the one SESSION_COOKIE_NAME sets, as in the API", async () => {
    expect((await conversations(`acme_admin=${token}`)).statusCode).toBe(200);
  });

  it("is not the default when another is set", async () => {
    const res = await conversations(`docent_session=${token}`);
    expect(res.statusCode).toBe(401);
  });
});
