/**
 * Outgoing mail over SMTP with nodemailer. Without SMTP_URL (development only; production
 * refuses to start without it) nothing is sent: the mail is logged instead, with its text
 * (and so its link) only when NODE_ENV=development, never in production.
 *
 * `dispatch` sends in the background: answers that must not reveal whether an address
 * has an account (sign-up, password reset) then take the same time whether or not a mail
 * goes out. Failures are logged; close() waits for mail still in flight.
 */
import type { Logger } from "@docent/http-kit/logger";
import { createTransport } from "nodemailer";
import { createBackgroundWork } from "@docent/service-kit/background";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Sends and waits; throws when the SMTP server refuses or cannot be reached. */
  send(message: MailMessage): Promise<void>;
  /** Sends in the background; a failure is logged, never thrown. */
  dispatch(message: MailMessage): void;
  close(): Promise<void>;
}

export interface MailerOptions {
  smtpUrl: string | undefined;
  from: string;
  nodeEnv: "development" | "test" | "production";
  logger: Logger;
}

export function createMailer(options: MailerOptions): Mailer {
  const { logger } = options;
  const transport = options.smtpUrl
    ? createTransport(options.smtpUrl, { from: options.from })
    : null;
  const sending = createBackgroundWork(logger);

  async function send(message: MailMessage): Promise<void> {
    if (!transport) {
      if (options.nodeEnv === "development") {
        logger.info({ to: message.to, subject: message.subject, text: message.text }, "mail not sent: SMTP_URL is not set");
      } else {
        logger.warn({ subject: message.subject }, "mail not sent: SMTP_URL is not set");
      }
      return;
    }
    await transport.sendMail({ to: message.to, subject: message.subject, text: message.text, html: message.html });
    logger.info({ subject: message.subject }, "mail sent");
  }

  return {
    send,
    dispatch(message) {
      sending.start(() => send(message), { message: "mail could not be sent", context: { subject: message.subject } });
    },
    async close() {
      await sending.settled();
      transport?.close();
    },
  };
}
