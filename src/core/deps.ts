import type { Db } from "../db/client.ts";
import type { Clock } from "../adapters/clock/clock.ts";
import type { Extractor } from "../adapters/extractor/extractor.ts";
import type { Logger } from "../adapters/logger.ts";
import type { Messaging } from "../adapters/messaging/messaging.ts";
import type { Scheduler } from "../adapters/scheduler/scheduler.ts";

/** Values read from the environment once, by an entry point. */
export interface Settings {
  /** Externally visible base URL without a trailing slash (Twilio signatures, QStash callbacks). */
  publicUrl: string | null;
  adminToken: string;
  /** Webhook secrets from the environment; a business's own `secrets` override them. */
  secrets: { vapi?: string; retell?: string; bland?: string; intake?: string; twilioAuthToken?: string };
  qstash: { currentSigningKey?: string; nextSigningKey?: string };
}

/**
 * Work that runs after the response: LLM extraction, sends. On Node an in-process set of
 * promises; on Workers `ctx.waitUntil`. Whatever it drops, the inbox and outbox rows survive.
 */
export interface Background {
  /**
   * Runs `task` after the response. `urgent` work (sending what a committed transaction decided,
   * handing its timers to the scheduler) goes ahead of slow work such as extraction, so an
   * owner's offer text never waits behind a backlog of webhooks.
   */
  defer(name: string, task: () => Promise<void>, opts?: { urgent?: boolean }): void;
  /** Resolves when everything deferred so far (and anything it deferred) has settled. */
  drain(): Promise<void>;
}

/** Everything handlers and services reach the world through; built once by an entry point. */
export interface Deps {
  db: Db;
  messaging: Messaging;
  extractor: Extractor;
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  settings: Settings;
  background: Background;
}

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
