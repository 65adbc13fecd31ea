/** A wake-up to deliver: the timers row already exists; the scheduler makes it fire at dueAt. */
export interface TimerWakeUp {
  timerId: string;
  dueAt: Date;
  dedupeKey: string;
}

/**
 * How timers get delivered. Local: the database loop (Node). QStash: a delayed publish to
 * /webhooks/qstash (Workers, or Node with QSTASH_TOKEN). Either way, firing re-reads the lead.
 */
export interface Scheduler {
  readonly name: string;
  /** Called after the transaction that inserted the timer row committed. */
  schedule(timer: TimerWakeUp): Promise<void>;
  /** Best effort: a canceled timer that fires anyway is harmless. */
  cancel(timer: { timerId: string; externalId: string | null }): Promise<void>;
}
