import type { Db } from "../db/client.ts";
import type { Clock } from "../adapters/clock/clock.ts";
import type { Extractor } from "../adapters/extractor/extractor.ts";
import type { Logger } from "../adapters/logger.ts";
import type { Messaging } from "../adapters/messaging/messaging.ts";
import type { Scheduler } from "../adapters/scheduler/scheduler.ts";
import type { ReconcileProvider } from "../domain/reconcile-config.ts";

/** Values read from the environment once, by an entry point. */
export interface Settings {
  /** Externally visible base URL without a trailing slash (Twilio signatures, QStash callbacks). */
  publicUrl: string | null;
  adminToken: string;
  /** Webhook secrets from the environment; a business's own `secrets` override them. */
  secrets: { vapi?: string; retell?: string; bland?: string; intake?: string; twilioAuthToken?: string };
  qstash: { currentSigningKey?: string; nextSigningKey?: string };
  /**
   * Provider API credentials for reconciliation (CONTRACT §14) from the environment; a business's
   * own `reconcile.<provider>.apiKey` overrides them. Twilio's are the gateway's own.
   */
  reconcile?: {
    apiKeys: { vapi?: string; retell?: string; bland?: string };
    twilio?: { accountSid: string; authToken: string; useFetch?: boolean };
  };
  /**
   * How long a process holds a stored webhook it claimed before another may take it over (a
   * process that died mid-way); unset, 60 s (INBOX_LEASE_MS).
   */
  inboxLeaseMs?: number;
  /**
   * Stored AI-intake webhooks are left `received` for `handoff worker` processes: this process
   * neither processes them after the 2xx nor sweeps them (INTAKE_IN_WORKERS=1, Node only).
   */
  leaveIntakeToWorkers?: boolean;
  /** Outbound event delivery; unset, CONTRACT §13's schedule and 15 s timeout. Tests shorten them. */
  outboundEvents?: { retryScheduleMs?: readonly number[]; timeoutMs?: number };
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

/**
 * Sends outbox rows and acts on what each send came to (an offer's next channel, an escalation).
 * Wired by the composition root (runtime/compose.ts), so the unit of work can send after commit
 * without importing the rooms that decide what a failed send leads to.
 */
export interface Outbox {
  /** Sends these rows one after another; each is claimed first, so a row sends at most once. */
  deliver(ids: string[], opts?: { leaseMs?: number }): Promise<void>;
}

/**
 * Runs one reconciliation with a provider for a business (a `reconcile` timer's work), wired by the
 * composition root so the timer registry can fire it without importing the rooms it uses.
 */
export interface Reconciler {
  /** One run for the business and provider the timer names; it sets its own successor. */
  run(timer: { id: string; businessId: string; dueAt: Date }, provider: ReconcileProvider): Promise<{ acted: boolean; reason: string }>;
}

/**
 * Sends outbound event deliveries (CONTRACT §13) after commit. Wired by the composition root on a
 * lane of its own, so a receiver that hangs for its whole timeout never delays a text, a timer
 * or an extraction. Returns at once; the rows are the durable state and the sweep retries them.
 */
export interface EventOutbox {
  deliver(ids: string[]): void;
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
  /** Sends after commit and on the sweep; see Outbox. */
  outbox: Outbox;
  /** Pulls what push missed; see Reconciler. */
  reconcile: Reconciler;
  /** Sends outbound events after commit; see EventOutbox. */
  events: EventOutbox;
}
