import type { Background } from "../core/deps.ts";
import type { Logger } from "../adapters/logger.ts";

/**
 * The Node background runner: at most `concurrency` tasks at once, the rest wait their turn.
 * Unbounded, a burst of webhooks would start as many lead transactions as requests and starve
 * the requests themselves of database connections; the inbox and outbox rows are the durable
 * queue, so waiting here loses nothing. Failures are logged, never thrown.
 */
export function inProcessBackground(logger: Logger, concurrency = 4): Background {
  type Item = { name: string; task: () => Promise<void> };
  const urgent: Item[] = [];
  const waiting: Item[] = [];
  const running = new Set<Promise<void>>();
  const pump = () => {
    while (running.size < concurrency && (urgent.length || waiting.length)) {
      const { name, task } = (urgent.length ? urgent : waiting).shift()!;
      const p: Promise<void> = Promise.resolve()
        .then(task)
        .catch((err) => logger.error(`background task failed: ${name}`, { error: String(err) }))
        .finally(() => {
          running.delete(p);
          pump();
        });
      running.add(p);
    }
  };
  return {
    defer(name, task, opts) {
      (opts?.urgent ? urgent : waiting).push({ name, task });
      pump();
    },
    async drain() {
      while (running.size || urgent.length || waiting.length) await Promise.allSettled([...running]);
    },
  };
}
