import { EnvError, parseEnv } from "@docent/config/env";
import { describe, expect, it } from "vitest";
import { chatEnvSchema } from "./env";

describe("chat env", () => {
  it("defaults to port 3001 and the offline responder and embedder", () => {
    const env = parseEnv(chatEnvSchema, {});
    expect(env.PORT).toBe(3001);
    expect(env.LLM_BASE_URL).toBeUndefined();
    expect(env.EMBEDDING_PROVIDER).toBe("local");
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv(chatEnvSchema, { LLM_BASE_URL: "ftp://x", WIDGET_RATE_LIMIT_PER_IP: "0" })).toThrow(EnvError);
    try {
      parseEnv(chatEnvSchema, { LLM_BASE_URL: "ftp://x", WIDGET_RATE_LIMIT_PER_IP: "0" });
    } catch (error) {
      const names = (error as EnvError).issues.map((i) => i.variable);
      expect(names).toEqual(expect.arrayContaining(["LLM_BASE_URL", "WIDGET_RATE_LIMIT_PER_IP"]));
    }
  });
});
