import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EnvError, envFields, parseEnv } from "./env";

const schema = z.object({
  DATABASE_URL: envFields.databaseUrl,
  PORT: envFields.port(3000),
  FLAG: envFields.booleanFlag(false),
});

describe("parseEnv", () => {
  it("applies defaults and treats empty strings as unset", () => {
    const env = parseEnv(schema, { PORT: "", FLAG: "1" });
    expect(env.PORT).toBe(3000);
    expect(env.FLAG).toBe(true);
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\//);
  });

  it("names every invalid variable", () => {
    let caught: unknown;
    try {
      parseEnv(schema, { DATABASE_URL: "mysql://x", PORT: "abc" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const message = (caught as EnvError).message;
    expect(message).toContain("DATABASE_URL");
    expect(message).toContain("PORT");
  });
});

describe("parseEnv with _FILE variables", () => {
  const secrets = z.object({ SECRET: z.string().min(4), OTHER: z.string().default("x") });

  it("reads a variable from the file named by <NAME>_FILE, trimmed", () => {
    const dir = mkdtempSync(join(tmpdir(), "docent-env-"));
    const file = join(dir, "secret");
    writeFileSync(file, "from-file\n");
    expect(parseEnv(secrets, { SECRET_FILE: file }).SECRET).toBe("from-file");
    // The variable itself wins over its file.
    expect(parseEnv(secrets, { SECRET: "direct", SECRET_FILE: file }).SECRET).toBe("direct");
  });

  it("names the _FILE variable when its file cannot be read", () => {
    expect(() => parseEnv(secrets, { SECRET_FILE: "/nonexistent/docent-secret" })).toThrow(
      /SECRET_FILE: cannot read \/nonexistent\/docent-secret \(ENOENT\)/,
    );
  });
});
