import type { Logger } from "@docent/config/logger";
import { describe, expect, it, vi } from "vitest";
import { createBackgroundWork } from "./background";

const fakeLogger = () => ({ error: vi.fn(), warn: vi.fn() }) as unknown as Logger & { error: ReturnType<typeof vi.fn>; warn: ReturnType<typeof vi.fn> };

describe("background work", () => {
  it("does not wait for a task, and settles once every started task has finished", async () => {
    const work = createBackgroundWork(fakeLogger());
    let finish!: () => void;
    let done = false;
    work.start(() => new Promise<void>((resolve) => (finish = resolve)).then(() => void (done = true)), { message: "x" });
    let settled = false;
    const waiting = work.settled().then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    finish();
    await waiting;
    expect(done).toBe(true);
  });

  it("logs a failed task at its level with its context, including one that throws before its first await", async () => {
    const logger = fakeLogger();
    const work = createBackgroundWork(logger);
    work.start(async () => Promise.reject(new Error("smtp down")), { message: "mail could not be sent", context: { subject: "Hi" } });
    work.start(
      () => {
        throw new Error("sync");
      },
      { message: "packing failed", level: "warn" },
    );
    await work.settled();
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ subject: "Hi", err: expect.objectContaining({ message: "smtp down" }) }), "mail could not be sent");
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ err: expect.objectContaining({ message: "sync" }) }), "packing failed");
  });
});
