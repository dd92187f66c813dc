/**
 * Issue #12 item 11: Unicode control and format characters (bidi overrides and
 * isolates, zero-width spaces...) are stripped from every name a user supplies, through
 * the API as clients call it. `invoice\u202Etxt.exe` would otherwise show as
 * "invoiceexe.txt" in the admin and in the browser's download bar.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTestApi, signUp } from "./testing/harness";

const { app } = await createTestApi();
const owner = await signUp(app, "names");
const ws = `/v1/workspaces/${owner.workspaceId}`;

const RLO = "\u202E";
const tricky = (name: string) => `${name}\u2066\u200B${RLO}fdp.exe\u2069`;

// The free plan allows one bot: this one.
const bot = await owner.request("POST", `${ws}/bots`, { name: tricky("Support") });

describe("names are stored without control and format characters", () => {
  it("bot, workspace, prompt and API key names", async () => {
    expect(bot.statusCode, bot.body).toBe(201);
    expect(bot.json().name).toBe("Supportfdp.exe");
    const renamedBot = await owner.request("PATCH", `${ws}/bots/${bot.json().id}`, { name: `Support${RLO}‎` });
    expect(renamedBot.statusCode, renamedBot.body).toBe(200);
    expect(renamedBot.json().name).toBe("Support");

    const renamed = await owner.request("PATCH", ws, { name: `Acme${RLO}gpj.exe` });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().name).toBe("Acmegpj.exe");

    const prompt = await owner.request("POST", `${ws}/bots/${bot.json().id}/prompts`, { name: tricky("v1"), content: "Be brief." });
    expect(prompt.statusCode, prompt.body).toBe(201);
    expect(prompt.json().name).toBe("v1fdp.exe");

    const key = await owner.request("POST", `${ws}/api-keys`, { name: `CI\u200F\u061C key\nline`, scopes: ["bots:read"] });
    expect(key.statusCode, key.body).toBe(201);
    expect(key.json().name).toBe("CI key line");
  });

  it("refuses a name made only of such characters, like an empty one", async () => {
    const res = await owner.request("PATCH", `${ws}/bots/${bot.json().id}`, { name: `${RLO}\u200B\u2066` });
    expect(res.statusCode).toBe(400);
  });

  it("document names: pasted text, URL sources and uploaded file names, and the download header", async () => {
    const botId = bot.json().id as string;
    const text = await owner.request("POST", `/v1/bots/${botId}/documents/text`, { name: tricky("notes"), text: "Some text." });
    expect(text.statusCode, text.body).toBe(201);
    expect(text.json().name).toBe("notesfdp.exe");

    const url = await owner.request("POST", `/v1/bots/${botId}/documents/url`, { url: "https://example.com/a", name: tricky("page") });
    expect(url.statusCode, url.body).toBe(201);
    expect(url.json().name).toBe("pagefdp.exe");

    const boundary = `----docent${randomBytes(8).toString("hex")}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="invoice${RLO}txt.exe"\r\nContent-Type: text/plain\r\n\r\n`,
      ),
      Buffer.from("Invoice 42: total 100 EUR."),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const uploaded = await app.inject({
      method: "POST",
      url: `/v1/bots/${botId}/documents`,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}`, cookie: owner.cookie, "x-csrf-token": owner.csrfToken },
      payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect(uploaded.json().name).toBe("invoicetxt.exe");

    const download = await owner.request("GET", `/v1/bots/${botId}/documents/${uploaded.json().id}/download`);
    expect(download.statusCode).toBe(200);
    const disposition = String(download.headers["content-disposition"]);
    expect(disposition).toContain("invoicetxt.exe");
    expect(disposition).not.toContain(encodeURIComponent(RLO));
  });
});
