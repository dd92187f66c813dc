/**
 * Browser journeys as steps that build on each other: after one fails, the steps that
 * need it fail at once (naming the broken step) instead of each waiting for its own
 * timeout. A failure carries `context()`, the tail of the services' logs.
 */
import { it } from "vitest";

export function createSteps(context: () => string) {
  const failed = new Set<string>();
  return (name: string, needs: string[], fn: () => Promise<void>) =>
    it(name, async () => {
      const blocker = needs.find((n) => failed.has(n));
      if (blocker) {
        failed.add(name);
        throw new Error(`not run: it needs the step "${blocker}", which failed`);
      }
      try {
        await fn();
      } catch (error) {
        failed.add(name);
        throw new Error(`${(error as Error).message}\n${context()}`, { cause: error });
      }
    });
}
