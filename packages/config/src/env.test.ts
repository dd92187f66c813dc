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
