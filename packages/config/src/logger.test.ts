import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, stream };
}

describe("createLogger", () => {
  it("never writes secrets, at the top level or nested", () => {
    const { lines, stream } = capture();
    const log = createLogger({ service: "t", level: "info", destination: stream });
    log.info(
      {
        password: "hunter2",
        body: { apiKey: "sk-live-123", newPassword: "p4ss" },
        req: { headers: { authorization: "Bearer dk_live_abc", cookie: "docent_session=xyz" } },
      },
      "hello",
    );
    const out = lines.join("");
    expect(out).toContain('"service":"t"');
    for (const secret of ["hunter2", "sk-live-123", "p4ss", "dk_live_abc", "docent_session=xyz"]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("[redacted]");
  });
});
