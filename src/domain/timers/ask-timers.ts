import { z } from "zod";
import type { TimerKindShape } from "./timer-kind.ts";

const payload = z.object({
  /** The ask (customer_asks row) the wake-up belongs to. */
  askId: z.string().min(1),
});

/** The payload of an `ask-wait` or `ask-call` timer. */
export type AskPayload = z.output<typeof payload>;

/**
 * `ask-wait`: `askCustomer.waitFor` after the first question; a record the caller has not
 * completed by then goes to intake (CONTRACT §15). One per ask.
 */
export const askWaitTimer: TimerKindShape<"ask-wait", AskPayload, { askId: string }> = {
  kind: "ask-wait",
  payload,
  key: ({ askId }) => `ask-wait:${askId}`,
};

/**
 * `ask-call`: place the AI callback of `askCustomer.callWith` (a provider API call, made outside
 * the transaction that decided it). One per ask.
 */
export const askCallTimer: TimerKindShape<"ask-call", AskPayload, { askId: string }> = {
  kind: "ask-call",
  payload,
  key: ({ askId }) => `ask-call:${askId}`,
};
