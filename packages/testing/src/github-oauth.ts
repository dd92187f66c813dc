/**
 * A local server speaking GitHub's OAuth app wire format, for the GitHub sign-in tests:
 * `GET /login/oauth/authorize` (redirects straight back, as GitHub does for an app the
 * user already authorized), `POST /login/oauth/access_token` (GitHub's quirks included:
 * errors answer 200 with an `error` field, JSON only when asked with Accept), and the
 * REST API's `GET /user` and `GET /user/emails` under `/api/v3` (GitHub Enterprise
 * Server's layout, so one origin serves both). Codes work once, for ten minutes, only
 * with the PKCE verifier of their challenge when one was sent.
 */
import { createHash, randomBytes } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface GithubTestUser {
  id: number;
  login: string;
  name?: string | null;
  /** The public profile address (`/user`'s `email`). */
  publicEmail?: string | null;
  /** `/user/emails`; an empty list when undefined. */
  emails?: { email: string; primary: boolean; verified: boolean }[];
}

export interface GithubTestServer {
  /** GITHUB_URL: where /login/oauth/* live. */
  url: string;
  /** GITHUB_API_URL. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** Who is "signed in to GitHub" in the browser that is sent to authorize. */
  signIn(user: GithubTestUser): void;
  /** Follows an authorization URL; returns the redirect back with `code` and `state`. */
  authorize(authorizationUrl: string): Promise<URL>;
  /** Tokens issued so far. */
  tokensIssued: number;
  close(): Promise<void>;
}

interface PendingCode {
  user: GithubTestUser;
  redirectUri: string;
  challenge: string | null;
  expiresAt: number;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  let raw = "";
  for await (const chunk of req) raw += String(chunk);
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    return new URLSearchParams(Object.entries(JSON.parse(raw || "{}") as Record<string, string>));
  }
  return new URLSearchParams(raw);
}

export async function startGithubServer(options: { redirectUri: string }): Promise<GithubTestServer> {
  const clientId = `Iv1.${randomBytes(8).toString("hex")}`;
  const clientSecret = randomBytes(20).toString("hex");
  const codes = new Map<string, PendingCode>();
  const tokens = new Map<string, GithubTestUser>();
  let current: GithubTestUser | null = null;

  const tokenError = (res: ServerResponse, accept: string, error: string, description: string) => {
    const body = { error, error_description: description, error_uri: `https://docs.github.com/apps/troubleshooting#${error}` };
    if (accept.includes("application/json")) return json(res, 200, body);
    res.writeHead(200, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" });
    res.end(new URLSearchParams(body).toString());
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://github.test");
      if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
        const redirect = url.searchParams.get("redirect_uri") ?? options.redirectUri;
        if (url.searchParams.get("client_id") !== clientId || redirect !== options.redirectUri || !current) {
          res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
          return;
        }
        const code = randomBytes(10).toString("hex");
        const method = url.searchParams.get("code_challenge_method");
        if (url.searchParams.get("code_challenge") && method !== "S256") {
          res.writeHead(400, { "content-type": "text/plain" }).end("code_challenge_method must be S256");
          return;
        }
        codes.set(code, { user: current, redirectUri: redirect, challenge: url.searchParams.get("code_challenge"), expiresAt: Date.now() + 600_000 });
        const back = new URL(redirect);
        back.searchParams.set("code", code);
        const state = url.searchParams.get("state");
        if (state !== null) back.searchParams.set("state", state);
        res.writeHead(302, { location: back.href }).end();
        return;
      }
      if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
        const accept = req.headers.accept ?? "";
        const body = await readBody(req);
        let id = body.get("client_id");
        let secret = body.get("client_secret");
        const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
        if (basic) [id, secret] = Buffer.from(basic[1]!, "base64").toString().split(":").map(decodeURIComponent) as [string, string];
        if (id !== clientId || secret !== clientSecret) {
          return tokenError(res, accept, "incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
        }
        const code = body.get("code") ?? "";
        const pending = codes.get(code);
        codes.delete(code);
        if (!pending || pending.expiresAt < Date.now()) return tokenError(res, accept, "bad_verification_code", "The code passed is incorrect or expired.");
        if (body.get("redirect_uri") && body.get("redirect_uri") !== pending.redirectUri) {
          return tokenError(res, accept, "redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.");
        }
        if (pending.challenge) {
          const verifier = body.get("code_verifier") ?? "";
          if (createHash("sha256").update(verifier).digest("base64url") !== pending.challenge) {
            return tokenError(res, accept, "bad_verification_code", "The code_verifier does not match the code_challenge.");
          }
        }
        const token = `gho_${randomBytes(18).toString("base64url")}`;
        tokens.set(token, pending.user);
        github.tokensIssued++;
        const granted = { access_token: token, token_type: "bearer", scope: "read:user,user:email" };
        if (accept.includes("application/json")) return json(res, 200, granted);
        res.writeHead(200, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" });
        res.end(new URLSearchParams(granted).toString());
        return;
      }
      if (req.method === "GET" && (url.pathname === "/api/v3/user" || url.pathname === "/api/v3/user/emails")) {
        const token = /^(?:Bearer|token) (\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
        const user = token ? tokens.get(token) : undefined;
        if (!user) return json(res, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
        if (url.pathname === "/api/v3/user/emails") {
          return json(
            res,
            200,
            (user.emails ?? []).map((e) => ({ ...e, visibility: e.primary ? "private" : null })),
          );
        }
        return json(res, 200, {
          login: user.login,
          id: user.id,
          node_id: `U_${user.id}`,
          avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
          type: "User",
          name: user.name ?? null,
          email: user.publicEmail ?? null,
        });
      }
      json(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const github: GithubTestServer = {
    url,
    apiUrl: `${url}/api/v3`,
    clientId,
    clientSecret,
    tokensIssued: 0,
    signIn(user) {
      current = user;
    },
    async authorize(authorizationUrl) {
      const response = await fetch(authorizationUrl, { redirect: "manual" });
      const location = response.headers.get("location");
      if (response.status !== 302 || !location) throw new Error(`GitHub (test) answered ${response.status}: ${await response.text()}`);
      return new URL(location);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return github;
}
