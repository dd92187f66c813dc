/**
 * Re-packing of keyword postings (`bot_term_packs`, queries/bm25.ts): the terms a search
 * read from the postings index because their pack was missing or older than their
 * postings are packed after the search has answered, so the next search reads them in
 * one value. At most one packing per (bot, term) runs at a time in this process; a
 * failure only costs speed (the index still answers), so it is logged and dropped.
 */
import type { Logger } from "@docent/config/logger";
import type { Database } from "@docent/db/client";
import { packTerms } from "@docent/db/queries/bm25";

export type TermPacker = ReturnType<typeof createTermPacker>;

export function createTermPacker({ db, logger }: { db: Database; logger?: Logger }) {
  const inFlight = new Set<string>();
  const running = new Set<Promise<void>>();
  return {
    pack(botId: string, terms: readonly string[]) {
      const fresh = [...new Set(terms)].filter((t) => !inFlight.has(`${botId}\u0000${t}`));
      if (fresh.length === 0) return;
      const keys = fresh.map((t) => `${botId}\u0000${t}`);
      for (const k of keys) inFlight.add(k);
      const job: Promise<void> = packTerms(db, botId, fresh)
        .catch((err: unknown) => logger?.warn({ err, botId, terms: fresh.length }, "packing keyword postings failed"))
        .finally(() => {
          for (const k of keys) inFlight.delete(k);
          running.delete(job);
        });
      running.add(job);
    },
    /** Resolves once every packing started so far has finished. */
    async settled() {
      await Promise.all([...running]);
    },
  };
}
