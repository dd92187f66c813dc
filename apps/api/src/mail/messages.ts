/**
 * The mails Docent sends, as plain text and simple HTML. Links point at the admin app
 * (PUBLIC_APP_URL) with the token in the URL fragment: browsers never send a fragment to
 * a server, so tokens stay out of access logs and Referer headers.
 */
import type { MailMessage } from "./mailer";

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export const appLink = (appUrl: string, path: string, token?: string) =>
  `${appUrl.replace(/\/$/, "")}${path}${token ? `#token=${encodeURIComponent(token)}` : ""}`;

function compose(to: string, subject: string, paragraphs: string[], action?: { label: string; url: string }): MailMessage {
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), "— Docent"].join("\n\n");
  const html =
    paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("") +
    (action ? `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p><p>${escapeHtml(action.url)}</p>` : "") +
    "<p>— Docent</p>";
  return { to, subject, text, html };
}

export const mails = {
  confirmSignup: (to: string, link: string) =>
    compose(
      to,
      "Confirm your e-mail address for Docent",
      [
        "Someone (hopefully you) created a Docent account with this address.",
        "Confirm the address to finish: the link works once and for 24 hours. If it was not you, ignore this mail and no account is created.",
      ],
      { label: "Confirm my address", url: link },
    ),

  accountExists: (to: string, loginLink: string, resetLink: string) =>
    compose(
      to,
      "You already have a Docent account",
      [
        "Someone (hopefully you) tried to create a Docent account with this address, but it already has one. Nothing was changed.",
        `Sign in at ${loginLink}, or if you forgot your password, reset it at ${resetLink}. If it was not you, ignore this mail.`,
      ],
    ),

  verifyEmail: (to: string, link: string) =>
    compose(
      to,
      "Verify your e-mail address for Docent",
      ["Confirm that this address is yours: the link works once and for 24 hours."],
      { label: "Verify my address", url: link },
    ),

  passwordReset: (to: string, link: string) =>
    compose(
      to,
      "Reset your Docent password",
      [
        "Someone (hopefully you) asked to reset the password of the Docent account with this address.",
        "The link works once and for one hour; using it signs out every session. If it was not you, ignore this mail: your password stays as it is.",
      ],
      { label: "Choose a new password", url: link },
    ),

  invitation: (to: string, input: { workspaceName: string; inviter: string; role: string; link: string; expiresAt: Date }) =>
    compose(
      to,
      `${input.inviter} invited you to ${input.workspaceName} on Docent`,
      [
        `${input.inviter} invited you to join the workspace "${input.workspaceName}" on Docent as ${input.role}.`,
        `Accept with this link, signed in with this address (create an account with it if you have none). The invitation expires on ${input.expiresAt.toISOString().slice(0, 10)}.`,
      ],
      { label: "Accept the invitation", url: input.link },
    ),
};
