/**
 * `pnpm db:seed`: plans, templates, an admin user and a demo workspace with one bot.
 * Idempotent: existing rows are kept; the admin password is only (re)set when the user is
 * new or SEED_ADMIN_PASSWORD is given. Prints the credentials it set.
 */
import { randomBytes, scrypt } from "node:crypto";
import { promisify } from "node:util";
import { envFields, loadEnvOrExit } from "@docent/config/env";
import { createLogger } from "@docent/config/logger";
import { z } from "zod";
import { ensureCatalog, templateCatalog } from "../catalog";
import { createDb } from "../client";
import { defaultModelSettings } from "@docent/contracts/json";
import { createBot, listBots } from "../queries/bots";
import { addMember } from "../queries/members";
import { getTemplate, listTemplates } from "../queries/templates";
import { createUser, getUserByEmail, setEmailPassword, updateUser } from "../queries/users";
import { createWorkspaceWithOwner, getWorkspaceBySlug } from "../queries/workspaces";

const env = loadEnvOrExit(
  z.object({
    DATABASE_URL: envFields.databaseUrl,
    SEED_ADMIN_EMAIL: z.email().default("admin@docent.local"),
    SEED_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").max(200).optional(),
  }),
);
const log = createLogger({ service: "seed", level: "info" });

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * The "scrypt$N$r$p$salt$hash" format documented on `auth_methods.password_hash` and
 * verified by @docent/service-kit/crypto/password (which reads the parameters back from the
 * string, so these need not match its defaults).
 */
async function hashPassword(password: string): Promise<string> {
  const [N, r, p] = [32768, 8, 1];
  const salt = randomBytes(16);
  const hash = await scryptAsync(password.normalize("NFKC"), salt, 32, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

const { db, close } = createDb({ url: env.DATABASE_URL, max: 2, applicationName: "docent-seed" });
try {
  await ensureCatalog(db);
  log.info({ plans: 3, templates: templateCatalog.length }, "catalog ensured");

  let password: string | undefined;
  const existing = await getUserByEmail(db, env.SEED_ADMIN_EMAIL);
  const admin = await db.transaction(async (tx) => {
    const user = existing ?? (await createUser(tx, { email: env.SEED_ADMIN_EMAIL, name: "Docent Admin" }));
    await updateUser(tx, user.id, { role: "ADMIN", status: "ACTIVE", emailVerified: true });
    if (!existing || env.SEED_ADMIN_PASSWORD) {
      password = env.SEED_ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
      await setEmailPassword(tx, { userId: user.id, email: user.email, passwordHash: await hashPassword(password) });
    }
    if (!(await getWorkspaceBySlug(tx, `personal-${user.id.slice(0, 8)}`))) {
      await createWorkspaceWithOwner(tx, {
        name: "Personal",
        slug: `personal-${user.id.slice(0, 8)}`,
        ownerId: user.id,
        isPersonal: true,
      });
    }
    return user;
  });

  const demo =
    (await getWorkspaceBySlug(db, "demo")) ??
    (await db.transaction((tx) =>
      createWorkspaceWithOwner(tx, { name: "Demo workspace", slug: "demo", ownerId: admin.id, planCode: "pro" }),
    ));
  await addMember(db, { workspaceId: demo.id, userId: admin.id, role: "OWNER" });

  if ((await listBots(db, { workspaceId: demo.id })).length === 0) {
    const support = (await listTemplates(db)).find((t) => t.slug === "customer-support");
    const template = support ? await getTemplate(db, support.id) : undefined;
    await db.transaction((tx) =>
      createBot(tx, {
        workspaceId: demo.id,
        createdBy: admin.id,
        templateId: template?.id ?? null,
        name: "Demo support bot",
        description: "Created by the seed; upload documents to make it useful.",
        publicId: randomBytes(12).toString("base64url"),
        ragConfig: template!.defaultRagConfig,
        modelSettings: defaultModelSettings,
        language: "english",
        initialPrompt: template?.sampleSystemPrompt
          ? { name: "Template prompt", content: template.sampleSystemPrompt }
          : null,
      }),
    );
  }

  process.stdout.write(
    [
      "",
      "Docent seed complete.",
      `  admin e-mail:    ${admin.email}`,
      `  admin password:  ${password ?? "(unchanged; set SEED_ADMIN_PASSWORD to reset it)"}`,
      `  demo workspace:  ${demo.name} (${demo.id})`,
      "",
    ].join("\n"),
  );
} finally {
  await close();
}
