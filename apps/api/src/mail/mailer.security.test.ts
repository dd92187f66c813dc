/**
 * Security regression (issue #12, item 5): mail carries account tokens, so without SMTP
 * the API must say the mail was not sent without ever logging a token outside
 * development, and production refuses to start without SMTP_URL.
 */
import { Writable } from "node:stream";
import { parseEnv } from "@docent/config/env";
import { createServiceLogger } from "@docent/http-kit/logger";
import { describe, expect, it } from "vitest";
import { apiEnvSchema } from "../env";
import { createMailer } from "./mailer";
import { appLink, mails } from "./messages";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createServiceLogger({ service: "api", level: "debug", destination }) };
}

const token = "tok_abcdefghijklmnopqrstuvwxyz0123456789";
const message = mails.passwordReset("someone@example.com", appLink("https://app.example.com", "/reset-password", token));

describe("mail without SMTP_URL", () => {
  for (const nodeEnv of ["production", "test"] as const) {
    it(`logs that it was not sent, without the token (NODE_ENV=${nodeEnv})`, async () => {
      const { lines, logger } = capture();
      const mailer = createMailer({ smtpUrl: undefined, from: "Docent <no-reply@example.com>", nodeEnv, logger });
      await mailer.send(message);
      mailer.dispatch(message);
      await mailer.close();
      expect(lines.join("\n")).toContain("mail not sent");
      expect(lines.join("\n")).not.toContain(token);
      expect(lines.join("\n")).not.toContain("someone@example.com");
    });
  }

  it("shows the link in development, where there is no inbox to read", async () => {
    const { lines, logger } = capture();
    await createMailer({ smtpUrl: undefined, from: "x <x@example.com>", nodeEnv: "development", logger }).send(message);
    expect(lines.join("\n")).toContain(`/reset-password#token=${token}`);
  });

  it("is refused in production: the API does not start without SMTP_URL", () => {
    const production = { NODE_ENV: "production", DOCENT_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString("base64")}` };
    expect(() => parseEnv(apiEnvSchema, production)).toThrow(/SMTP_URL/);
    expect(parseEnv(apiEnvSchema, { ...production, SMTP_URL: "smtps://mail.example.com:465" }).SMTP_URL).toBe("smtps://mail.example.com:465");
  });
});
