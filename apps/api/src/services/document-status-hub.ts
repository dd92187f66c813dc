/**
 * Fans the per-bot Redis status channels out to in-process listeners (SSE streams).
 * One subscriber connection serves every stream of the process; a channel is
 * subscribed while at least one listener needs it.
 *
 * `subscribe` resolves only once Redis has confirmed the channel's subscription, for the
 * stream that asked first and for every stream that joins while that is in flight: a
 * stream reads its snapshot after `subscribe`, so any change committed after the
 * snapshot is read reaches it as an event.
 */
import {
  documentStatusChannel,
  parseDocumentStatusMessage,
  parseSourceStatusMessage,
  type DocumentStatusEvent,
  type SourceStatusEvent,
} from "@docent/queue/status";
import type { Redis } from "ioredis";

export type StatusListener = (event: DocumentStatusEvent) => void;
/** Website sources' crawl progress, published on the same per-bot channel. */
export type SourceStatusListener = (event: SourceStatusEvent) => void;

export interface StatusHub {
  subscribe(botId: string, listener: StatusListener, sourceListener?: SourceStatusListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

interface Channel {
  listeners: Set<StatusListener>;
  sourceListeners: Map<StatusListener, SourceStatusListener>;
  /** Settles when Redis has answered the SUBSCRIBE for this channel. */
  subscribed: Promise<void>;
}

export function createStatusHub(getSubscriber: () => Promise<Redis>, prefix: string): StatusHub {
  const channels = new Map<string, Channel>();
  let subscriber: Promise<Redis> | undefined;

  const connection = () => {
    subscriber ??= getSubscriber().then((redis) => {
      redis.on("message", (channel: string, message: string) => {
        const event = parseDocumentStatusMessage(message);
        if (event) {
          for (const listener of channels.get(channel)?.listeners ?? []) listener(event);
          return;
        }
        const source = parseSourceStatusMessage(message);
        if (source) for (const listener of channels.get(channel)?.sourceListeners.values() ?? []) listener(source);
      });
      return redis;
    });
    return subscriber;
  };

  const leave = async (name: string, channel: Channel, listener: StatusListener) => {
    channel.listeners.delete(listener);
    channel.sourceListeners.delete(listener);
    if (channel.listeners.size > 0 || channels.get(name) !== channel) return;
    channels.delete(name);
    await (await connection()).unsubscribe(name);
  };

  return {
    async subscribe(botId, listener, sourceListener) {
      const name = documentStatusChannel(prefix, botId);
      let channel = channels.get(name);
      if (!channel) {
        const subscribed = connection().then(async (redis) => {
          await redis.subscribe(name);
        });
        channel = { listeners: new Set(), sourceListeners: new Map(), subscribed };
        channels.set(name, channel);
      }
      const joined = channel;
      joined.listeners.add(listener);
      if (sourceListener) joined.sourceListeners.set(listener, sourceListener);
      try {
        await joined.subscribed;
      } catch (error) {
        // Redis is down: the next stream of this bot must subscribe again.
        joined.listeners.delete(listener);
        joined.sourceListeners.delete(listener);
        if (channels.get(name) === joined) channels.delete(name);
        throw error;
      }
      return () => leave(name, joined, listener);
    },
    async close() {
      channels.clear();
      if (subscriber) (await subscriber).disconnect();
      subscriber = undefined;
    },
  };
}

/**
 * Events that arrived while a stream's snapshot was being read, without those the
 * snapshot already supersedes: an event for an older version of a listed document (a
 * re-index started meanwhile) would move the client back from the truth it was just sent.
 * Events of one version come in the order they were published, so they are kept.
 */
export function eventsAfterSnapshot(
  events: DocumentStatusEvent[],
  snapshot: readonly { id: string; version: number }[],
): DocumentStatusEvent[] {
  const versions = new Map(snapshot.map((d) => [d.id, d.version]));
  return events.filter((e) => e.version >= (versions.get(e.documentId) ?? 0));
}
