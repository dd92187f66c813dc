/** The status hub's subscriptions, against a stand-in Redis whose SUBSCRIBE answers when told. */
import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createStatusHub } from "./document-status-hub";

function fakeSubscriber() {
  const emitter = new EventEmitter();
  const pending: (() => void)[] = [];
  const redis = Object.assign(emitter, {
    subscribe: () => new Promise<void>((resolve) => pending.push(resolve)),
    unsubscribe: async () => {},
    disconnect: () => {},
  });
  return { redis: redis as unknown as Redis, confirm: () => pending.splice(0).forEach((resolve) => resolve()) };
}

describe("createStatusHub", () => {
  it("lets a stream that joins a channel being subscribed wait for Redis's confirmation too", async () => {
    const fake = fakeSubscriber();
    const hub = createStatusHub(async () => fake.redis, "p");
    const botId = "00000000-0000-4000-8000-000000000001";
    const settled: string[] = [];
    const first = hub.subscribe(botId, () => {}).then(() => settled.push("first"));
    await new Promise((r) => setImmediate(r));
    const second = hub.subscribe(botId, () => {}).then(() => settled.push("second"));
    await new Promise((r) => setImmediate(r));
    // Neither may read its snapshot yet: an event published now would not reach it.
    expect(settled).toEqual([]);
    fake.confirm();
    await Promise.all([first, second]);
    expect(settled.sort()).toEqual(["first", "second"]);
    await hub.close();
  });
});
