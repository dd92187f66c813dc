/**
 * Fans the per-bot Redis status channels out to in-process listeners (SSE streams).
 * One subscriber connection serves every stream of the process; a channel is
 * subscribed while at least one listener needs it.
 */
import {
  documentStatusChannel,
  parseDocumentStatusMessage,
  type DocumentStatusEvent,
} from "@docent/queue/status";
import type { Redis } from "ioredis";

export type StatusListener = (event: DocumentStatusEvent) => void;

export interface StatusHub {
  subscribe(botId: string, listener: StatusListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export function createStatusHub(getSubscriber: () => Promise<Redis>, prefix: string): StatusHub {
  const listeners = new Map<string, Set<StatusListener>>();
  let subscriber: Promise<Redis> | undefined;

  const connection = () => {
    subscriber ??= getSubscriber().then((redis) => {
      redis.on("message", (channel: string, message: string) => {
        const event = parseDocumentStatusMessage(message);
        if (!event) return;
        for (const listener of listeners.get(channel) ?? []) listener(event);
      });
      return redis;
    });
    return subscriber;
  };

  return {
    async subscribe(botId, listener) {
      const channel = documentStatusChannel(prefix, botId);
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        try {
          await (await connection()).subscribe(channel);
        } catch (error) {
          // Redis is down: the next stream of this bot must subscribe again.
          listeners.delete(channel);
          throw error;
        }
      }
      set.add(listener);
      return async () => {
        const current = listeners.get(channel);
        if (!current) return;
        current.delete(listener);
        if (current.size === 0) {
          listeners.delete(channel);
          await (await connection()).unsubscribe(channel);
        }
      };
    },
    async close() {
      listeners.clear();
      if (subscriber) (await subscriber).disconnect();
      subscriber = undefined;
    },
  };
}
