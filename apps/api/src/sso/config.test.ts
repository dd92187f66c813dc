/** Identity providers from env: what is configured, and start-up errors that name the variable. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvError, parseEnv } from "@docent/config/env";
import { describe, expect, it } from "vitest";
import { apiEnvSchema } from "../env";
import { readSsoConfig } from "./config";

const errorsOf = (source: Record<string, string>) => {
  try {
    parseEnv(apiEnvSchema, source);
  } catch (error) {
    if (error instanceof EnvError) return error.issues;
    throw error;
  }
  return [];
};

const keycloak = {
  OIDC_PROVIDERS: "keycloak, entra-id",
  OIDC_KEYCLOAK_ISSUER: "https://sso.example.com/realms/docent",
  OIDC_KEYCLOAK_CLIENT_ID: "docent",
  OIDC_KEYCLOAK_CLIENT_SECRET: "s3cret",
  OIDC_ENTRA_ID_ISSUER: "https://login.microsoftonline.com/tenant/v2.0",
  OIDC_ENTRA_ID_CLIENT_ID: "abc",
  OIDC_ENTRA_ID_CLIENT_SECRET: "def",
  OIDC_ENTRA_ID_NAME: "Microsoft",
  OIDC_ENTRA_ID_SCOPES: "openid,email profile",
  OIDC_ENTRA_ID_CLIENT_AUTH: "client_secret_post",
  OIDC_ENTRA_ID_TRUST_EMAIL: "true",
};

describe("identity provider configuration", () => {
  it("reads Google, GitHub and each OIDC_PROVIDERS entry with its own variables", () => {
    const env = parseEnv(apiEnvSchema, { ...keycloak, GOOGLE_CLIENT_ID: "g-id", GOOGLE_CLIENT_SECRET: "g-secret", GITHUB_CLIENT_ID: "gh", GITHUB_CLIENT_SECRET: "gh-secret" });
    const { providers, issues } = readSsoConfig(env);
    expect(issues).toEqual([]);
    expect(providers.map((p) => [p.id, p.kind, p.displayName])).toEqual([
      ["google", "google", "Google"],
      ["github", "github", "GitHub"],
      ["keycloak", "oidc", "Keycloak"],
      ["entra-id", "oidc", "Microsoft"],
    ]);
    expect(providers[0]).toMatchObject({ issuer: "https://accounts.google.com", scopes: "openid email profile" });
    expect(providers[1]).toMatchObject({ webUrl: "https://github.com", apiUrl: "https://api.github.com" });
    expect(providers[2]).toMatchObject({ clientAuth: "client_secret_basic", trustEmail: false, scopes: "openid email profile" });
    expect(providers[3]).toMatchObject({ clientAuth: "client_secret_post", trustEmail: true, scopes: "openid email profile" });
  });

  it("reads a client secret from OIDC_<NAME>_CLIENT_SECRET_FILE", () => {
    const dir = mkdtempSync(join(tmpdir(), "docent-sso-"));
    writeFileSync(join(dir, "secret"), "from-a-file\n");
    const { OIDC_KEYCLOAK_CLIENT_SECRET: _, ...rest } = keycloak;
    const env = parseEnv(apiEnvSchema, { ...rest, OIDC_KEYCLOAK_CLIENT_SECRET_FILE: join(dir, "secret") });
    expect(readSsoConfig(env).providers.find((p) => p.id === "keycloak")).toMatchObject({ clientSecret: "from-a-file" });
    expect(errorsOf({ ...rest, OIDC_KEYCLOAK_CLIENT_SECRET_FILE: join(dir, "missing") })).toEqual([
      { variable: "OIDC_KEYCLOAK_CLIENT_SECRET_FILE", message: expect.stringContaining("ENOENT") },
    ]);
  });

  it("names every missing or malformed variable", () => {
    expect(errorsOf({ OIDC_PROVIDERS: "okta" }).map((i) => i.variable)).toEqual(["OIDC_OKTA_ISSUER", "OIDC_OKTA_CLIENT_ID"]);
    expect(errorsOf({ OIDC_PROVIDERS: "Bad_Name,github,okta,okta", OIDC_OKTA_ISSUER: "ftp://x", OIDC_OKTA_CLIENT_ID: "x", OIDC_OKTA_SCOPES: "email" })).toEqual([
      { variable: "OIDC_PROVIDERS", message: expect.stringContaining('"Bad_Name" is not a provider name') },
      { variable: "OIDC_PROVIDERS", message: expect.stringContaining("GITHUB_CLIENT_ID") },
      { variable: "OIDC_OKTA_ISSUER", message: "must be an https:// URL" },
      { variable: "OIDC_OKTA_SCOPES", message: 'must include "openid"' },
      { variable: "OIDC_PROVIDERS", message: '"okta" is listed twice' },
    ]);
    expect(errorsOf({ GITHUB_CLIENT_ID: "x" })).toEqual([{ variable: "GITHUB_CLIENT_SECRET", message: "is required with GITHUB_CLIENT_ID" }]);
    expect(errorsOf({ OIDC_PROVIDERS: "okta", OIDC_OKTA_ISSUER: "https://o.example", OIDC_OKTA_CLIENT_ID: "x", OIDC_OKTA_CLIENT_AUTH: "client_secret_post" })).toEqual([
      { variable: "OIDC_OKTA_CLIENT_SECRET", message: expect.stringContaining("is required with OIDC_OKTA_CLIENT_AUTH=client_secret_post") },
    ]);
    expect(errorsOf({ AUTH_EMAIL_DOMAINS: "example.com,not a domain" })).toEqual([
      { variable: "AUTH_EMAIL_DOMAINS", message: expect.stringContaining('"not a domain"') },
    ]);
  });

  it("allows plain http only outside production or on loopback", () => {
    const http = { OIDC_PROVIDERS: "keycloak", OIDC_KEYCLOAK_ISSUER: "http://keycloak:8080/realms/docent", OIDC_KEYCLOAK_CLIENT_ID: "docent" };
    expect(errorsOf(http)).toEqual([]);
    const production = { NODE_ENV: "production", SMTP_URL: "smtp://mail:25", DOCENT_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32).toString("base64")}` };
    expect(errorsOf({ ...http, ...production })).toEqual([
      { variable: "OIDC_KEYCLOAK_ISSUER", message: "must be an https:// URL in production (http only for loopback)" },
    ]);
    expect(errorsOf({ ...http, ...production, OIDC_KEYCLOAK_ISSUER: "http://127.0.0.1:8080/realms/docent" })).toEqual([]);
  });

  it("refuses to turn password sign-in off with no provider to sign in with", () => {
    expect(errorsOf({ AUTH_PASSWORD_ENABLED: "false" })).toEqual([
      { variable: "AUTH_PASSWORD_ENABLED", message: expect.stringContaining("nobody could sign in") },
    ]);
    expect(errorsOf({ AUTH_PASSWORD_ENABLED: "false", GITHUB_CLIENT_ID: "a", GITHUB_CLIENT_SECRET: "b" })).toEqual([]);
  });
});
