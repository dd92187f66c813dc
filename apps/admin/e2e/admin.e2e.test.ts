/**
 * The admin app and the widget in a real browser (Debian chromium via playwright-core)
 * against the real API, chat service and worker on loopback, with a fresh database and
 * an in-process SMTP server receiving the API's mail. One journey, in order, as a new
 * customer would take it (the links in mail are followed as a person would); screenshots
 * of the main screens go to a temporary folder (`pnpm screenshots` refreshes docs/screenshots).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useTestDatabase } from "@docent/testing/db";
import { type Mailbox, startMailbox } from "@docent/testing/mailbox";
import type {} from "@docent/testing/global-setup";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject } from "vitest";
import { launchBrowser } from "./harness/browser";
import { buildAdmin, distDir } from "./harness/build";
import { freePort, type Services, startServices } from "./harness/services";
import { type RunningServer, serveAdmin, servePage } from "./harness/static-server";
import { screenshotDir } from "./harness/screenshots";
import { createSteps } from "./harness/steps";

const shots = screenshotDir();
/** Payloads that must show up as text and never run. Each bumps window.__xss if it executes. */
const XSS_IMG = `<img src=x onerror="window.__xss=(window.__xss||0)+1">`;
const XSS_SCRIPT = `<script>window.__xss=(window.__xss||0)+1</script>`;
const FACT = "The Zephyr 9 blender comes with a seven year warranty on the motor.";

const db = await useTestDatabase();

describe("admin app and widget in a browser", () => {
  let services: Services;
  let mailbox: Mailbox;
  let admin: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const sites: RunningServer[] = [];
  const cspViolations: string[] = [];
  const state = { workspaceId: "", botId: "", publicId: "", email: `owner-${Date.now()}@example.com` };
  const files = join(tmpdir(), `docent-e2e-files-${process.pid}`);

  const shot = async (name: string, target: Page = page) => {
    await target.waitForTimeout(150);
    await target.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
  };
  const xssCount = (target: Page = page) => target.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? 0);

  beforeAll(async () => {
    mkdirSync(files, { recursive: true });
    writeFileSync(
      join(files, "zephyr-manual.md"),
      `# Zephyr 9 blender manual\n\n## Warranty\n\n${FACT} Register the blender online within 30 days to activate it.\n\n## Cleaning\n\nRinse the jar with warm water after each use. Never put the motor base in the dishwasher.\n`,
    );
    writeFileSync(join(files, "hostile-notes.md"), `# Hostile notes\n\nThe secret code word for the pelican test is ${XSS_IMG} and also ${XSS_SCRIPT} pelican.\n`);
    buildAdmin();
    mailbox = await startMailbox();
    const adminPort = await freePort();
    services = await startServices({
      databaseUrl: db.url,
      redisUrl: inject("redisUrl"),
      smtpUrl: mailbox.url,
      appUrl: `http://127.0.0.1:${adminPort}`,
    });
    admin = await serveAdmin({ dist: distDir, apiUrl: services.apiUrl, chatUrl: services.chatUrl, port: adminPort });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: admin.url });
    // The app runs under infra/nginx/admin.conf's CSP (the static server sends it): every
    // violation is recorded, and the last step requires none.
    await context.exposeBinding("reportViolation", (_source, v: string) => void cspViolations.push(v));
    await context.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { reportViolation(v: string): void }).reportViolation(`${location.pathname}: ${e.violatedDirective} ${e.blockedURI}`),
      ),
    );
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("dialog", (d) => void d.dismiss());
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await Promise.all(sites.map((s) => s.close()));
    await admin?.close();
    await services?.stop();
    await mailbox?.close();
  });

  /** The link to `path` in the first unread mail to `to` whose subject matches (waits for it). */
  const linkIn = async (to: string, subject: RegExp, path: string) => {
    const mail = await mailbox.waitFor((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject) && !usedMails.has(m), 20_000);
    usedMails.add(mail);
    const link = mail.links.find((l) => l.startsWith(`${admin.url}${path}#token=`));
    if (!link) throw new Error(`no ${path} link in "${mail.subject}": ${mail.links.join(" ")}`);
    return link;
  };
  const usedMails = new Set<object>();

  /** Steps (harness/steps.ts); a failure carries the services' last log lines, request lines left out. */
  const step = createSteps(() =>
    ["api", "chat", "worker"]
      .map((n) => `--- ${n} ---\n${(services?.tail(n, 60) ?? "").split("\n").filter((l) => !l.includes('"msg":"incoming request"') && !l.includes('"msg":"request completed"')).slice(-12).join("\n")}`)
      .join("\n"),
  );

  step("signs up and lands in the new workspace", [], async () => {
    await page.goto("/signup");
    await shot("01-signup");
    await page.getByLabel("Name").fill("Olivia Owner");
    await page.getByLabel("Work email").fill(state.email);
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Check your inbox" }).waitFor();
    // The account exists once the mailed link is followed, with the password just chosen.
    await page.goto(await linkIn(state.email, /Confirm your e-mail/, "/verify-email"));
    await page.getByLabel("Password").fill("correct horse battery staple");
    // Read once, the token leaves the address bar (history, screenshots, shoulder-surfing).
    expect(page.url()).not.toContain("token=");
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.waitForURL(/\/w\/[0-9a-f-]+\/bots$/);
    state.workspaceId = page.url().match(/\/w\/([0-9a-f-]+)\//)![1]!;
    await page.getByRole("heading", { name: "Bots", exact: true }).waitFor();
    await page.getByText("No bots yet").waitFor();
  });

  step("creates a bot from a template", ["signs up and lands in the new workspace"], async () => {
    await page.getByRole("button", { name: "New bot" }).first().click();
    await page.getByText("Customer support", { exact: false }).first().waitFor();
    await shot("02-create-bot");
    await page.getByText("Customer support", { exact: false }).first().click();
    await page.getByLabel("Name").fill("Zephyr support");
    await page.getByRole("button", { name: "Create bot" }).click();
    await page.waitForURL(/\/bots\/[0-9a-f-]+\/documents$/);
    state.botId = page.url().match(/\/bots\/([0-9a-f-]+)\//)![1]!;
    state.publicId = (await page.locator(".bot-header code").first().textContent())!.trim();
    expect(state.publicId).toMatch(/^[A-Za-z0-9_-]{6,32}$/);
  });

  step("changes the widget colour and the live preview follows; allows a site", ["creates a bot from a template"], async () => {
      await page.getByRole("link", { name: "Widget" }).click();
      const header = page.locator('[data-testid="widget-preview"] .header');
      await header.waitFor();
      const before = await header.evaluate((el) => getComputedStyle(el).backgroundColor);
      await page.getByLabel("Primary colour hex value").fill("#e11d48");
      await expect.poll(() => header.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(225, 29, 72)");
      expect(before).not.toBe("rgb(225, 29, 72)");
      await page.getByLabel("Header text").fill("Zephyr help");
      await expect.poll(() => header.textContent()).toContain("Zephyr help");
      await page.getByRole("button", { name: "Save appearance" }).click();
      await page.getByText("Widget saved").waitFor();

      const allowed = await servePage("<!doctype html><title>placeholder</title>");
      sites.push(allowed);
      await page.getByLabel("Origin", { exact: true }).fill(allowed.url);
      await page.getByRole("button", { name: "Add origin" }).click();
      await page.getByRole("list", { name: "Allowed origins" }).getByText(allowed.url).waitFor();
      await expect(page.getByLabel("Embed code").textContent()).resolves.toContain(`data-bot="${state.publicId}"`);
      await shot("05-widget");
  });

  step("creates an API key and shows its secret once", ["signs up and lands in the new workspace"], async () => {
      await page.getByRole("link", { name: "API keys" }).click();
      await page.getByRole("button", { name: "Create API key" }).first().click();
      await page.getByLabel("Name").fill("Production server");
      await page.getByRole("button", { name: "Create key" }).click();
      const secret = await page.getByTestId("new-api-key").textContent();
      expect(secret).toMatch(/^dk_live_/);
      await page.getByRole("table", { name: "API keys" }).getByText("Production server").waitFor();
      await shot("06-api-keys");
      await page.getByRole("button", { name: "I have saved it" }).click();
      await page.reload();
      await page.getByRole("table", { name: "API keys" }).waitFor();
      expect(await page.getByText(secret!).count()).toBe(0);
  });

  const embedPage = (title: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><style>* { color: red !important; font-family: serif !important; } button { display: none !important; }</style></head>` +
    `<body><h1>${title}</h1><p>A customer's site.</p><script src="${admin.url}/widget.js" data-bot="${state.publicId}"></script></body></html>`;

  step("the widget on a site that is not allowed shows a refusal", ["creates a bot from a template"], async () => {
      const site = await servePage(embedPage("Copycat site"));
      sites.push(site);
      const visitor = await browser.newContext();
      const w = await visitor.newPage();
      await w.goto(site.url);
      await w.getByRole("button", { name: /Open chat/ }).click();
      const refusal = w.locator(".msg.notice.error");
      await refusal.waitFor({ timeout: 15_000 });
      await expect(refusal.textContent()).resolves.toMatch(/not allowed|origin|not available/i);
      expect(await w.getByLabel("Your question").isDisabled()).toBe(true);
      await shot("08-widget-refused", w);
      await visitor.close();
  });

  step("uploads documents and watches them reach PROCESSED through the progress UI", ["creates a bot from a template"], async () => {
      await page.goto(`/w/${state.workspaceId}/bots/${state.botId}/documents`);
      await page.locator('input[type="file"]').setInputFiles([join(files, "zephyr-manual.md"), join(files, "hostile-notes.md")]);
      const row = page.locator('[data-upload="zephyr-manual.md"]');
      await row.waitFor();
      await row.getByRole("progressbar").first().waitFor();
      for (const name of ["zephyr-manual.md", "hostile-notes.md"]) {
        // Wait for an end state, then require the good one, so a failure reports its reason at once.
        const ended = page.locator(["PROCESSED", "FAILED", "failed"].map((s) => `[data-upload="${name}"][data-doc-status="${s}"]`).join(", "));
        await ended.waitFor({ timeout: 60_000 });
        const status = await ended.getAttribute("data-doc-status");
        if (status !== "PROCESSED") throw new Error(`${name} ended ${status}: ${await ended.textContent()}`);
      }
      await expect(row.textContent()).resolves.toMatch(/Processed · \d+ chunks/);
      const table = page.getByRole("table", { name: "Documents" });
      await table.locator('tr[data-document="zephyr-manual.md"] [data-status="PROCESSED"]').waitFor();
      // The hostile document's name and text are shown, never interpreted.
      expect(await xssCount()).toBe(0);
      // The upload hint states the workspace plan's own file size limit.
      const plan = await page.evaluate(async (ws) => (await fetch(`/api/v1/workspaces/${ws}/usage`).then((r) => r.json())).plan, state.workspaceId);
      await expect(page.getByTestId("upload-hint").textContent()).resolves.toContain(`up to ${plan.maxFileSizeMb} MB each (${plan.name} plan)`);
      await shot("03-documents");
  });

  step("re-indexes a document, shown on its own row without covering it", ["uploads documents and watches them reach PROCESSED through the progress UI"], async () => {
      const row = page.getByRole("table", { name: "Documents" }).locator('tr[data-document="zephyr-manual.md"]');
      await row.getByRole("button", { name: "Re-index zephyr-manual.md" }).click();
      await page.getByTestId("documents-announcement").getByText("Re-indexing “zephyr-manual.md”").waitFor();
      const box = (await row.boundingBox())!;
      for (const toast of await page.locator(".toast").all()) {
        const t = (await toast.boundingBox())!;
        const overlaps = t.x < box.x + box.width && box.x < t.x + t.width && t.y < box.y + box.height && box.y < t.y + t.height;
        expect(overlaps, "a toast covers the re-indexed row").toBe(false);
      }
      await row.locator('[data-status="PROCESSED"]').waitFor({ timeout: 60_000 });
  });

  step("sets a document's metadata and filters the retrieval test by it", ["re-indexes a document, shown on its own row without covering it"], async () => {
      const row = page.getByRole("table", { name: "Documents" }).locator('tr[data-document="zephyr-manual.md"]');
      await row.getByRole("button", { name: "Edit metadata of zephyr-manual.md" }).click();
      const editor = page.getByLabel("Metadata", { exact: true });
      await editor.fill('{"Product": "zephyr"}');
      await page.getByText('"Product" is not a valid key').waitFor();
      await editor.fill('{"product": "zephyr", "tags": ["blender", "manual"]}');
      await page.getByRole("button", { name: "Save metadata" }).click();
      await expect.poll(() => row.getByTestId("document-metadata").textContent()).toBe("product: zephyr · tags: blender, manual");
      await shot("22-document-metadata");

      await page.getByRole("link", { name: "Retrieval" }).click();
      await page.getByLabel("Question").fill("How long is the warranty?");
      const filter = page.getByLabel("Metadata filter (optional)");
      await filter.fill('{"eq": {"key": "product", "value": "toaster"}}');
      await page.getByRole("button", { name: "Retrieve" }).click();
      await page.getByText("No chunks matched").waitFor();
      await filter.fill('{"eq": {"key": "tags", "value": "blender"}}');
      await page.getByRole("button", { name: "Retrieve" }).click();
      const results = page.getByRole("list", { name: "Retrieved chunks" });
      await results.waitFor();
      await expect(results.textContent()).resolves.toContain("zephyr-manual.md");
      await expect(results.textContent()).resolves.not.toContain("hostile-notes.md");
      await shot("23-retrieval-filter");
  });

  step("answers a question in the playground with a citation that opens its source", ["re-indexes a document, shown on its own row without covering it"], async () => {
      await page.getByRole("link", { name: "Playground" }).click();
      await page.getByLabel("Your question").fill("How long is the warranty on the Zephyr 9 blender motor?");
      await page.getByRole("button", { name: "Send" }).click();
      const answer = page.locator('[data-role="assistant"]').last();
      await answer.locator("button.cite").first().waitFor({ timeout: 30_000 });
      await expect(answer.textContent()).resolves.toMatch(/seven year warranty/i);
      await answer.locator("button.cite").first().click();
      const source = page.getByRole("complementary", { name: /Source 1/ });
      await source.waitFor();
      await expect(source.textContent()).resolves.toContain("zephyr-manual.md");
      await answer.getByRole("button", { name: "Good answer" }).click();
      await answer.locator('button[aria-label="Good answer"][aria-pressed="true"]').waitFor();
      await shot("04-playground");
  });

  step("shows hostile markup from a document and from a chat message as text in the playground", ["answers a question in the playground with a citation that opens its source"], async () => {
      await page.getByRole("button", { name: "New conversation" }).click();
      const question = `What is the pelican code word? ${XSS_IMG} ${XSS_SCRIPT}`;
      await page.getByLabel("Your question").fill(question);
      await page.getByRole("button", { name: "Send" }).click();
      const user = page.locator('[data-role="user"]').last();
      await expect(user.textContent()).resolves.toContain(XSS_IMG);
      const answer = page.locator('[data-role="assistant"]').last();
      await answer.locator("button.cite").first().waitFor({ timeout: 30_000 });
      await expect(answer.textContent()).resolves.toContain("<img src=x");
      expect(await page.locator('.chat-log img[src="x"], .chat-log script').count()).toBe(0);
      expect(await xssCount()).toBe(0);
  });

  step("corrects an answer in the playground: a reworded question gets the curated answer; the inbox lists a refused question until it is handled", ["shows hostile markup from a document and from a chat message as text in the playground"], async () => {
      const curated = "Yes: the Zephyr 9 ships to Canada in five to eight business days.";
      await page.getByRole("button", { name: "New conversation" }).click();
      await page.getByLabel("Your question").fill("Do you ship the Zephyr blender to Canada?");
      await page.getByRole("button", { name: "Send" }).click();
      const first = page.locator('[data-role="assistant"]').last();
      await first.getByRole("button", { name: "Correct this answer" }).click({ timeout: 30_000 });
      const dialog = page.getByRole("dialog", { name: "Add curated answer" });
      await expect(dialog.getByLabel("Question").inputValue()).resolves.toBe("Do you ship the Zephyr blender to Canada?");
      await dialog.getByLabel("Answer").fill(curated);
      await dialog.getByRole("button", { name: "Save" }).click();
      await dialog.waitFor({ state: "hidden" });
      await page.getByLabel("Your question").fill("Can you ship the Zephyr blender to Canada?");
      await page.getByRole("button", { name: "Send" }).click();
      const second = page.locator('[data-role="assistant"]').last();
      await second.getByText("Curated", { exact: true }).waitFor({ timeout: 30_000 });
      await expect(second.textContent()).resolves.toContain(curated);
      // A question nothing answers is refused and waits in the inbox until handled.
      await page.getByLabel("Your question").fill("What is the capital of Mongolia?");
      await page.getByRole("button", { name: "Send" }).click();
      await page.locator('[data-role="assistant"]').last().locator(".bubble-meta").waitFor({ timeout: 30_000 });
      await page.getByRole("link", { name: "Inbox" }).click();
      const groups = page.getByRole("list", { name: "Question groups" });
      const mongolia = groups.locator("li").filter({ hasText: "What is the capital of Mongolia?" }).first();
      await mongolia.waitFor();
      await expect(mongolia.textContent()).resolves.toContain("Refused");
      await shot("17-inbox");
      await mongolia.getByRole("button", { name: "Mark handled" }).click();
      await expect.poll(() => groups.locator("li").filter({ hasText: "What is the capital of Mongolia?" }).count()).toBe(0);
      await page.getByRole("link", { name: "Curated answers" }).click();
      const row = page.getByRole("row").filter({ hasText: "Do you ship the Zephyr blender to Canada?" });
      await row.waitFor();
      await expect(row.locator("td").nth(2).textContent()).resolves.toBe("1");
      await shot("18-curated-answers");
  });

  step("the widget on an allowed site answers with sources, shows hostile text as text, and keeps the conversation across reloads", ["changes the widget colour and the live preview follows; allows a site", "uploads documents and watches them reach PROCESSED through the progress UI"], async () => {
      const site = await servePage(embedPage("Allowed shop"));
      sites.push(site);
      // Register this site's origin too (each servePage is its own origin).
      const res = await page.evaluate(
        async ({ ws, bot, origin }) => {
          const me = await fetch("/api/v1/auth/me").then((r) => r.json());
          const r = await fetch(`/api/v1/workspaces/${ws}/bots/${bot}/origins`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-csrf-token": me.csrfToken },
            body: JSON.stringify({ origin }),
          });
          return r.status;
        },
        { ws: state.workspaceId, bot: state.botId, origin: site.url },
      );
      expect(res).toBe(201);
      const visitor = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const w = await visitor.newPage();
      w.on("dialog", (d) => void d.dismiss());
      await w.goto(site.url);
      const launcher = w.getByRole("button", { name: /Open chat/ });
      await launcher.waitFor();
      // Host-page CSS (`button { display: none !important }`) does not reach the shadow root.
      expect(await launcher.isVisible()).toBe(true);
      await launcher.click();
      await w.getByRole("dialog", { name: "Zephyr help" }).waitFor();
      await w.getByLabel("Your question").fill(`Zephyr 9 warranty? ${XSS_SCRIPT}`);
      await w.getByLabel("Your question").press("Enter");
      const reply = w.locator(".msg.assistant").last();
      await reply.locator(".sources").waitFor({ timeout: 30_000 });
      await expect(reply.textContent()).resolves.toMatch(/seven year warranty/i);
      await expect(w.locator(".msg.user").last().textContent()).resolves.toContain(XSS_SCRIPT);
      await w.getByLabel("Your question").fill("What is the pelican code word?");
      await w.getByLabel("Your question").press("Enter");
      await w.locator(".msg.assistant").nth(2).locator(".sources").waitFor({ timeout: 30_000 });
      await expect(w.locator(".msg.assistant").nth(2).textContent()).resolves.toContain("<img src=x");
      expect(await w.locator('.log img[src="x"], .log script').count()).toBe(0);
      expect(await xssCount(w)).toBe(0);
      await shot("07-widget-on-site", w);
      await w.reload();
      await w.getByRole("button", { name: /Open chat/ }).click();
      await expect(w.locator(".msg.user").first().textContent()).resolves.toContain("Zephyr 9 warranty?");
      await visitor.close();
  });

  step("shows transcripts with hostile text as text in the conversations view", ["the widget on an allowed site answers with sources, shows hostile text as text, and keeps the conversation across reloads"], async () => {
      await page.goto(`/w/${state.workspaceId}/bots/${state.botId}/conversations`);
      const list = page.getByRole("list", { name: "Conversations" });
      await list.waitFor();
      await page.getByLabel("Channel").selectOption("widget");
      await list.getByRole("button").first().click();
      const transcript = page.getByLabel("Transcript");
      await transcript.waitFor();
      await expect(transcript.textContent()).resolves.toContain(XSS_SCRIPT);
      expect(await page.locator('.transcript img[src="x"], .transcript script').count()).toBe(0);
      expect(await xssCount()).toBe(0);
      await expect(transcript.getByTestId("asker").first().textContent()).resolves.toBe("Visitor");
      await shot("09-conversations");
      // The admin's own playground questions are labelled as theirs, not a visitor's.
      await page.getByLabel("Channel").selectOption("playground");
      await list.getByRole("button").first().click();
      await expect.poll(() => transcript.getByTestId("asker").first().textContent()).toBe("Admin (playground)");
      expect(await transcript.getByText("Visitor", { exact: true }).count()).toBe(0);
  });

  step("invites a teammate, who signs up from the mailed link and accepts", ["creates a bot from a template"], async () => {
    const teammate = `teammate-${Date.now()}@example.com`;
    await page.goto(`/w/${state.workspaceId}/members`);
    await page.getByLabel("Email", { exact: true }).fill(teammate);
    await page.getByLabel("Role", { exact: true }).selectOption("ADMIN");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByRole("table", { name: "Pending invitations" }).getByText(teammate).waitFor();
    // Someone invited by mistake: revoked from the same table.
    const mistake = `typo-${Date.now()}@example.com`;
    await page.getByLabel("Email", { exact: true }).fill(mistake);
    await page.getByRole("button", { name: "Send invitation" }).click();
    const mistakeRow = page.locator(`tr[data-invitation="${mistake}"]`);
    await mistakeRow.waitFor();
    await mistakeRow.getByRole("button", { name: "Resend" }).click();
    await page.getByText(`Invitation sent again to ${mistake}`).waitFor();
    await shot("17-invitations");
    await mistakeRow.getByRole("button", { name: "Revoke" }).click();
    await mistakeRow.waitFor({ state: "detached" });

    const visitor = await browser.newContext({ baseURL: admin.url });
    const t = await visitor.newPage();
    t.setDefaultTimeout(15_000);
    await t.goto(await linkIn(teammate, /invited you/, "/invitations/accept"));
    await t.getByRole("heading", { name: /^Join / }).waitFor();
    expect(t.url()).not.toContain("#token=");
    await t.getByRole("link", { name: "Create an account" }).click();
    await t.getByLabel("Name").fill("Tom Teammate");
    await t.getByLabel("Work email").fill(teammate);
    await t.getByLabel("Password").fill("teammate passphrase");
    await t.getByRole("button", { name: "Create account" }).click();
    await t.getByRole("heading", { name: "Check your inbox" }).waitFor();
    await t.goto(await linkIn(teammate, /Confirm your e-mail/, "/verify-email"));
    await t.getByLabel("Password").fill("teammate passphrase");
    await t.getByRole("button", { name: "Confirm" }).click();
    // Back to the invitation the link opened, now signed in with the invited address.
    await t.getByRole("button", { name: "Accept the invitation" }).click();
    await t.waitForURL(new RegExp(`/w/${state.workspaceId}/bots$`));
    await t.getByRole("table").getByText("Zephyr support").waitFor();

    // Forgot the password: a mailed link sets a new one.
    await t.evaluate(async () => {
      const me = await fetch("/api/v1/auth/me").then((r) => r.json());
      await fetch("/api/v1/auth/logout", { method: "POST", headers: { "x-csrf-token": me.csrfToken } });
    });
    await t.goto("/login");
    await t.getByRole("link", { name: "Forgot your password?" }).click();
    await t.getByLabel("Email").fill(teammate);
    await t.getByRole("button", { name: "Send the link" }).click();
    await t.getByRole("heading", { name: "Check your inbox" }).waitFor();
    await t.goto(await linkIn(teammate, /Reset your Docent password/, "/reset-password"));
    await t.getByLabel("New password").fill("a brand new teammate passphrase");
    await t.getByRole("button", { name: "Set the new password" }).click();
    await t.getByText("Your password was changed").waitFor();
    await t.getByLabel("Email").fill(teammate);
    await t.getByLabel("Password").fill("a brand new teammate passphrase");
    await t.getByRole("button", { name: "Log in" }).click();
    await t.waitForURL(/\/w\/[0-9a-f-]+\/bots$/);
    await visitor.close();

    await page.reload();
    await page.getByRole("table", { name: "Members" }).getByText(teammate).waitFor();
    expect(await page.getByRole("table", { name: "Pending invitations" }).count()).toBe(0);
  });

  step("renders the remaining screens", ["creates a bot from a template"], async () => {
      await page.goto(`/w/${state.workspaceId}/bots/${state.botId}/analytics`);
      await page.getByRole("heading", { name: "Analytics" }).waitFor();
      // The chat service answers with the widget's questions: charts, not an error.
      await page.locator(".chart svg.recharts-surface").first().waitFor();
      expect(await page.locator(".alert").count()).toBe(0);
      const questions = await page.locator(".stat").filter({ hasText: "Questions" }).locator(".value").textContent();
      expect(Number(questions?.replace(/\D/g, ""))).toBeGreaterThan(0);
      expect(await page.locator(".chart svg.recharts-surface").count()).toBeGreaterThanOrEqual(4);
      await expect(page.getByRole("img", { name: "Most cited documents" }).textContent()).resolves.toContain("zephyr-manual.md");
      await page.waitForTimeout(1_500); // recharts draws its series with a 1.5 s animation
      await shot("10-analytics");
      // The export links download through the session cookie: the CSV holds the widget's questions.
      const exportHref = await page.getByRole("link", { name: "Export conversations" }).getAttribute("href");
      const csv = await page.evaluate(async (href) => (await fetch(href!)).text(), exportHref);
      expect(csv.split("\n")[0]).toBe("conversation_id,channel,started_at,message_id,role,created_at,content,topic,feedback,feedback_comment,citations");
      expect(csv.split("\n").length).toBeGreaterThan(2);
      // Topics: an admin defines one; the suggestions card answers (no error).
      await page.goto(`/w/${state.workspaceId}/bots/${state.botId}/topics`);
      await page.getByRole("heading", { name: "Topics" }).first().waitFor();
      await page.getByRole("button", { name: "New topic" }).click();
      await page.getByLabel("Name").fill("Warranty");
      await page.getByLabel("Description").fill("Warranty and registration of the blender");
      await page.getByLabel("Example questions").fill("How long is the blender warranty?\nHow do I register the blender?");
      await page.getByRole("button", { name: "Save topic" }).click();
      await page.getByRole("cell", { name: "Warranty", exact: true }).waitFor();
      await page.getByText("Suggested topics", { exact: true }).first().waitFor();
      expect(await page.locator(".alert").count()).toBe(0);
      await shot("10b-topics");
      await page.goto(`/w/${state.workspaceId}/bots/${state.botId}/retrieval`);
      await page.getByLabel("Question").fill("blender warranty");
      await page.getByRole("button", { name: "Retrieve" }).click();
      await page.locator('[aria-label="Retrieved chunks"], .empty, .alert').first().waitFor();
      // The new-bot default vector weight (0.01) is shown as stored, not rounded to 0.0.
      await page.getByText("Vector weight: 0.01", { exact: true }).waitFor();
      await shot("11-retrieval");
      await page.goto(`/w/${state.workspaceId}/bots/${state.botId}/prompts`);
      await page.getByLabel("System prompt").waitFor();
      await shot("12-prompts");
      await page.goto(`/w/${state.workspaceId}/bots`);
      await page.getByRole("table").getByText("Zephyr support").waitFor();
      await shot("13-bots");
      await page.goto(`/w/${state.workspaceId}/usage`);
      await page.getByText("Questions this month").waitFor();
      await shot("14-usage");
      await page.goto(`/w/${state.workspaceId}/settings`);
      await page.getByRole("heading", { name: "Workspace settings" }).waitFor();
      // The platform default is the chat service's real one (here: no LLM configured).
      await page.getByRole("option", { name: "Platform default (offline extractive answers)" }).waitFor({ state: "attached" });
      await page.getByRole("option", { name: "Platform default (local:lexical-hash-v1)" }).waitFor({ state: "attached" });
      await shot("15-settings");
      await page.goto(`/w/${state.workspaceId}/members`);
      await page.getByRole("table", { name: "Members" }).getByText(state.email).waitFor();
      await page.getByRole("button", { name: "Dark theme" }).click();
      await page.goto(`/w/${state.workspaceId}/bots/${state.botId}/playground`);
      await page.getByLabel("Your question").waitFor();
      await shot("16-dark-playground");
  });

  step("measures retrieval with an evaluation set", ["renders the remaining screens"], async () => {
    await page.goto(`/w/${state.workspaceId}/bots/${state.botId}/evaluation`);
    await page.getByLabel("New set name").fill("Warranty questions");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page.getByLabel("Question", { exact: true }).fill("How long is the blender warranty?");
    await page.getByLabel("Document with the answer").selectOption({ label: "zephyr-manual.md" });
    await page.getByRole("button", { name: "Add question" }).click();
    await page.getByRole("list", { name: "Questions" }).getByText("How long is the blender warranty?").waitFor();
    await page.getByRole("button", { name: "Run", exact: true }).click();
    // The chat service queues the run on BullMQ and runs it: results per retrieval mode.
    const results = page.getByRole("table", { name: "Run results" });
    await results.waitFor({ timeout: 30_000 });
    expect(await results.locator("tbody tr").count()).toBe(3);
    await page.getByRole("button", { name: /Apply the best setting/ }).waitFor();
    await shot("20-evaluation");
  });

  step("a platform administrator creates a plan, moves the workspace to it, and lowers it under the workspace's use", ["creates a bot from a template"], async () => {
    await db.sql`update users set role = 'ADMIN' where email = ${state.email}`;
    await page.goto(`/w/${state.workspaceId}/bots`);
    await page.getByRole("button", { name: "Light theme" }).click();
    const platform = page.getByRole("navigation", { name: "Platform" });
    await platform.getByRole("link", { name: "Plans" }).click();
    const plans = page.getByRole("table", { name: "Plans" });
    await plans.locator('tr[data-plan="free"]').waitFor();
    await expect(plans.locator('tr[data-plan="free"]').textContent()).resolves.toContain("Default");

    await page.getByRole("button", { name: "New plan" }).click();
    const create = page.getByRole("dialog", { name: "New plan" });
    await create.getByLabel("Name").fill("Team");
    await create.getByLabel("Code").fill("team");
    await create.getByLabel("Bots per workspace").fill("3");
    await create.getByLabel("Documents per bot").fill("5000");
    await create.getByLabel("Searches per month (search API)").fill("");
    await create.getByRole("button", { name: "Create plan" }).click();
    const team = plans.locator('tr[data-plan="team"]');
    await team.waitFor();
    await expect(team.textContent()).resolves.toMatch(/Team.*3.*5,000.*No limit/);

    await platform.getByRole("link", { name: "All workspaces" }).click();
    await page.locator(`tr[data-workspace="${state.workspaceId}"]`).getByRole("combobox").selectOption({ label: "Team" });
    await page.getByText(/^Moved “.+” to the Team plan$/).waitFor();

    // Lowered under what the workspace uses (its one bot): saved, and the workspace is named.
    await platform.getByRole("link", { name: "Plans" }).click();
    await page.getByRole("button", { name: "Edit Team" }).click();
    const edit = page.getByRole("dialog", { name: "Edit the Team plan" });
    await edit.getByLabel("Bots per workspace").fill("0");
    await edit.getByRole("button", { name: "Save plan" }).click();
    const report = page.getByTestId("over-limit-report");
    await expect(report.textContent()).resolves.toContain("1 bot, over the limit of 0 bots on the Team plan");
    await shot("18-platform-plans");

    // The workspace's own usage page says what is over; a new bot is refused in words.
    await page.goto(`/w/${state.workspaceId}/usage`);
    await expect(page.getByTestId("over-limits").textContent()).resolves.toContain("1 bot, over the limit of 0 bots on the Team plan");
    await page.getByText("Searches this month (search API)").waitFor();
    await shot("19-usage-over-limit");
    await page.goto(`/w/${state.workspaceId}/bots`);
    await page.getByRole("button", { name: "New bot" }).first().click();
    const createBot = page.getByRole("dialog", { name: "Create a bot" });
    await createBot.getByLabel("Name").fill("One too many");
    await createBot.getByRole("button", { name: "Create bot" }).click();
    await createBot.getByText("Limit reached: 0 bots on the Team plan.").waitFor();
  });

  step("adds a website source, watches its crawl, and reads its runs", ["uploads documents and watches them reach PROCESSED through the progress UI"], async () => {
    const pages: Record<string, string> = {
      "/": `<h1>Visiting us</h1><p>${"Our shop in Bern welcomes visitors from Monday to Saturday. ".repeat(6)}</p><a href="/hours">Opening hours</a> <a href="/parking#garage">Parking</a>`,
      "/hours": `<h1>Opening hours</h1><p>${"The shop opens at nine and closes at six on weekdays. ".repeat(6)}</p>`,
      "/parking": `<h1>Parking</h1><p>${"Visitors park for free in the garage behind the shop. ".repeat(6)}</p>`,
    };
    const site = createServer((req, res) => {
      const body = pages[new URL(req.url ?? "/", "http://x").pathname];
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body><nav>Menu</nav><main><article>${body}</article></main></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    const sitePort = (site.address() as AddressInfo).port;
    const siteUrl = `http://127.0.0.1:${sitePort}/`;
    sites.push({ url: siteUrl, port: sitePort, close: () => new Promise<void>((resolve) => site.close(() => resolve())) });

    await page.goto(`/w/${state.workspaceId}/bots/${state.botId}/sources`);
    await page.getByText("No website sources yet").waitFor();
    await page.getByRole("button", { name: "Add a site" }).click();
    const add = page.getByRole("dialog", { name: "Add a website source" });
    await add.getByLabel("Start URL or sitemap").fill(siteUrl);
    await add.getByLabel("Most pages").fill("0");
    await add.getByRole("button", { name: "Add and crawl" }).click();
    await add.getByText("Must be at least 1.").waitFor();
    await add.getByLabel("Most pages").fill("20");
    await add.getByRole("button", { name: "Add and crawl" }).click();
    const row = page.locator(`tr[data-source="${siteUrl}"]`);
    await row.getByText("Crawled").waitFor({ timeout: 60_000 });
    await expect.poll(async () => row.textContent(), { timeout: 60_000 }).toContain("3 / 3");
    await shot("21-sources");
    await row.getByRole("button", { name: `Runs of ${siteUrl}` }).click();
    const runs = page.getByRole("dialog", { name: `Crawls of ${siteUrl}` });
    await expect(runs.getByRole("table", { name: "Crawls" }).textContent()).resolves.toMatch(/completed/);
    await runs.getByRole("button", { name: "Close" }).first().click();
    // The pages are documents of the bot, each once although linked with a fragment.
    await page.goto(`/w/${state.workspaceId}/bots/${state.botId}/documents`);
    await page.getByRole("table", { name: "Documents" }).getByText(`${siteUrl}parking`).waitFor();
  });

  step("ran every screen without a Content-Security-Policy violation", ["renders the remaining screens"], async () => {
    expect(cspViolations).toEqual([]);
  });
});
