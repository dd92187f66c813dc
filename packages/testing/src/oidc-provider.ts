/**
 * A real OpenID Connect provider in-process (the `oidc-provider` package, the certified
 * OP implementation): discovery, JWKS, authorization-code flow with PKCE, ID tokens and
 * userinfo, on 127.0.0.1 over HTTP. Its login page is a one-field form ("who are you"),
 * so a browser test fills it in and an API test posts it (`authorize`).
 *
 * For the refusal tests it can misbehave as a broken or hostile provider would: rotate its
 * signing key, replace the ID token of the next token response (expired, signed with a
 * foreign key, another nonce...), refuse connections (down) or accept them and never
 * answer (stalled).
 */
import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type JWK, type JWTPayload, SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK } from "jose";
import Provider, { type Adapter, type AdapterPayload, type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export interface OidcTestAccount {
  sub: string;
  email?: string;
  /** What the provider asserts in `email_verified`; omitted when undefined. */
  emailVerified?: boolean;
  name?: string;
}

export interface OidcTestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** Rewrites the ID token of a token response: gets its claims and header, returns the new compact JWS. */
export type IdTokenTamper = (token: { claims: JWTPayload; header: { kid?: string; alg?: string } }, keys: SigningKeys) => Promise<string>;

export interface SigningKeys {
  /** The key the provider signs with now (private JWK with kid and alg). */
  current: JWK;
  sign(claims: JWTPayload, options?: { key?: JWK; kid?: string }): Promise<string>;
  /** A key the provider never published. */
  foreign(): Promise<JWK>;
}

export interface OidcTestProvider {
  /** The issuer, also the base URL: http://127.0.0.1:<port>. */
  issuer: string;
  client: OidcTestClient;
  accounts: Map<string, OidcTestAccount>;
  addAccount(account: OidcTestAccount): OidcTestAccount;
  /** The next token response's ID token is replaced by what `tamper` returns (once). */
  tamperNextIdToken(tamper: IdTokenTamper): void;
  /** Signs with a new key from now on; the old one stays published. */
  rotateKey(): Promise<void>;
  keys: SigningKeys;
  /** Refuse connections (`true`) or accept them again. */
  setDown(down: boolean): Promise<void>;
  /** Accept connections and never answer. */
  setStalled(stalled: boolean): void;
  /** Answer every request with this status (a 503 of an overloaded provider), or behave again (null). */
  setStatus(status: number | null): void;
  /** How many token requests it answered (a replayed code is still one request). */
  tokenRequests: number;
  /**
   * Follows an authorization URL as the account's browser would (login form, consent
   * granted) and returns the URL the provider redirected back to, with `code` and `state`.
   */
  authorize(authorizationUrl: string, sub: string): Promise<URL>;
  close(): Promise<void>;
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomBytes(6).toString("hex"), alg: "RS256", use: "sig" };
}

/**
 * The provider's storage (sessions, codes, grants), kept outside any one Provider instance
 * so it survives a key rotation, and expiring like a real store.
 */
function memoryAdapters(): (name: string) => Adapter {
  const store = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (entry && entry.expiresAt < Date.now()) store.delete(key);
    return store.get(key)?.payload;
  };
  return (name) => ({
    async upsert(id, payload, expiresIn) {
      store.set(`${name}:${id}`, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
      if (payload.uid) store.set(`${name}:uid:${payload.uid}`, { payload: { id } as AdapterPayload, expiresAt: Infinity });
    },
    async find(id) {
      return live(`${name}:${id}`);
    },
    async findByUid(uid) {
      const ref = live(`${name}:uid:${uid}`) as { id?: string } | undefined;
      return ref?.id ? live(`${name}:${ref.id}`) : undefined;
    },
    async findByUserCode() {
      return undefined;
    },
    async consume(id) {
      const payload = live(`${name}:${id}`);
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    },
    async destroy(id) {
      store.delete(`${name}:${id}`);
    },
    async revokeByGrantId(grantId) {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key);
    },
  });
}

const page = (body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>Test identity provider</title></head><body>${body}</body></html>`;

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (data += chunk));
    req.on("end", () => resolve(new URLSearchParams(data)));
    req.on("error", reject);
  });
}

export async function startOidcProvider(options: { redirectUris: string[]; clientId?: string; clientSecret?: string }): Promise<OidcTestProvider> {
  const client: OidcTestClient = {
    clientId: options.clientId ?? "docent-test",
    clientSecret: options.clientSecret ?? randomBytes(24).toString("base64url"),
    redirectUris: options.redirectUris,
  };
  const accounts = new Map<string, OidcTestAccount>();
  const signingKeys: JWK[] = [await newSigningKey()];
  let tamper: IdTokenTamper | null = null;
  let stalled = false;
  let forcedStatus: number | null = null;
  let provider: Provider;
  const adapter = memoryAdapters();
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    if (stalled) return;
    if (forcedStatus !== null) {
      res.writeHead(forcedStatus, { "content-type": "text/plain" }).end("unavailable");
      return;
    }
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const port = await listen(0);
  const issuer = `http://127.0.0.1:${port}`;

  const keys: SigningKeys = {
    get current() {
      return signingKeys[0]!;
    },
    async sign(claims, opts = {}) {
      const key = opts.key ?? signingKeys[0]!;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: opts.kid ?? key.kid!, typ: "JWT" })
        .sign(await importJWK(key, "RS256"));
    },
    foreign: newSigningKey,
  };

  function build(): Provider {
    const configuration: Configuration = {
      clients: [
        {
          client_id: client.clientId,
          client_secret: client.clientSecret,
          redirect_uris: client.redirectUris,
          response_types: ["code"],
          grant_types: ["authorization_code"],
          token_endpoint_auth_method: "client_secret_basic",
        },
      ],
      jwks: { keys: signingKeys },
      adapter,
      ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
      pkce: { required: () => true },
      claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      cookies: { keys: [randomBytes(32).toString("hex")] },
      async findAccount(_ctx, id) {
        const account = accounts.get(id);
        if (!account) return undefined;
        return {
          accountId: id,
          async claims() {
            return {
              sub: account.sub,
              ...(account.email === undefined ? {} : { email: account.email }),
              ...(account.emailVerified === undefined ? {} : { email_verified: account.emailVerified }),
              ...(account.name === undefined ? {} : { name: account.name }),
            };
          },
        };
      },
    };
    const created = new Provider(issuer, configuration);
    created.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
      await next();
      if (ctx.path !== "/token") return;
      testProvider.tokenRequests++;
      const body = ctx.body as { id_token?: string } | undefined;
      if (tamper && body?.id_token) {
        const rewrite = tamper;
        tamper = null;
        ctx.body = {
          ...body,
          id_token: await rewrite({ claims: decodeJwt(body.id_token), header: decodeProtectedHeader(body.id_token) as { kid?: string } }, keys),
        };
      }
    });
    return created;
  }
  provider = build();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", issuer);
    const interaction = /^\/interaction\/([\w-]+)$/.exec(url.pathname);
    if (!interaction) return provider.callback()(req, res);
    const details = await provider.interactionDetails(req, res);
    if (req.method === "GET") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        page(
          `<h1>Test identity provider</h1><form method="post" action="/interaction/${details.uid}">` +
            `<label>Who are you <input name="login" autocomplete="off"></label> <button type="submit">Sign in</button></form>`,
        ),
      );
      return;
    }
    const login = (await readForm(req)).get("login") ?? "";
    if (!accounts.has(login)) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page(`<p>No account "${login.replace(/[^\w@.-]/g, "")}".</p>`));
      return;
    }
    const grant = new provider.Grant({ accountId: login, clientId: client.clientId });
    grant.addOIDCScope(String(details.params.scope ?? "openid"));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId: login }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  const testProvider: OidcTestProvider = {
    issuer,
    client,
    accounts,
    keys,
    tokenRequests: 0,
    addAccount(account) {
      accounts.set(account.sub, account);
      return account;
    },
    tamperNextIdToken(fn) {
      tamper = fn;
    },
    async rotateKey() {
      signingKeys.unshift(await newSigningKey());
      provider = build();
    },
    async setDown(down) {
      if (down) {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        });
      } else {
        await listen(port);
      }
    },
    setStatus(status) {
      forcedStatus = status;
    },
    setStalled(value) {
      stalled = value;
      if (!value) for (const socket of sockets) socket.destroy();
    },
    async authorize(authorizationUrl, sub) {
      const jar = new Map<string, string>();
      const send = async (target: string, init: RequestInit = {}) => {
        const response = await fetch(new URL(target, issuer), {
          ...init,
          redirect: "manual",
          headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
        });
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(";");
          const eq = pair!.indexOf("=");
          jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
        }
        return response;
      };
      let response = await send(authorizationUrl);
      for (let hop = 0; hop < 10; hop++) {
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location) {
          const next = new URL(location, issuer);
          if (next.origin !== issuer) return next;
          if (/^\/interaction\//.test(next.pathname)) {
            await send(next.href);
            response = await send(next.href, {
              method: "POST",
              headers: { "content-type": "application/x-www-form-urlencoded" },
              body: new URLSearchParams({ login: sub }).toString(),
            });
          } else {
            response = await send(next.href);
          }
          continue;
        }
        throw new Error(`the provider answered ${response.status} instead of redirecting: ${(await response.text()).slice(0, 500)}`);
      }
      throw new Error("too many redirects at the provider");
    },
    async close() {
      stalled = false;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    },
  };
  return testProvider;
}
