/**
 * Re-packing of keyword postings (`bot_term_packs`, queries/bm25.ts): the terms a search
 * read from the postings index because their pack was missing or older than their
 * postings are packed after the search has answered, so the next search reads them in
 * one value. A (bot, term) is packed at most once a minute by this process (a bot being
 * ingested makes its terms' packs stale with every document: re-packing them after every
 * search would write their postings again and again); a failure only costs speed (the
 * index still answers), so it is logged and dropped.
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { packTerms } from "@docent/db/queries/bm25";
import { createBackgroundWork } from "@docent/service-kit/background";
import { LRUCache } from "lru-cache";

const REPACK_AFTER_MS = 60_000;

export type TermPacker = ReturnType<typeof createTermPacker>;

export function createTermPacker({ db, logger }: { db: Database; logger?: Logger }) {
  // (bot, term) keys packed (or being packed) within the last minute.
  const recent = new LRUCache<string, true>({ max: 100_000, ttl: REPACK_AFTER_MS });
  const packing = createBackgroundWork(logger);
  return {
    pack(botId: string, terms: readonly string[]) {
      const fresh = [...new Set(terms)].filter((t) => !recent.has(`${botId}\u0000${t}`));
      if (fresh.length === 0) return;
      for (const t of fresh) recent.set(`${botId}\u0000${t}`, true);
      packing.start(() => packTerms(db, botId, fresh), {
        message: "packing keyword postings failed",
        context: { botId, terms: fresh.length },
        level: "warn",
      });
    },
    /** Resolves once every packing started so far has finished. */
    settled: packing.settled,
  };
}
