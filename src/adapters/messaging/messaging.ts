import type { MessageChannel, OutboxStatus } from "../../domain/outbox-message.ts";

/** One outbound SMS or call, as the outbox row describes it. */
export interface OutboundSend {
  messageId: string;
  businessSlug: string;
  to: string;
  /** The business number to send from (first of `numbers`), when it has one. */
  from: string | null;
  channel: MessageChannel;
  /** SMS text, or for a call the words it speaks. */
  body: string;
  /** For a call: TwiML to run instead of just saying `body` (keypad gather on escalations). */
  twiml?: string;
  /** Where the provider posts delivery status, when the gateway has a public URL. */
  statusCallback: string | null;
}

export interface SendResult {
  /** sent, queued, dry-run… as the provider reported it. */
  status: OutboxStatus;
  providerId: string | null;
}

/** The outbound seam: Twilio when credentials are set, dry-run (record and print) otherwise. */
export interface Messaging {
  readonly name: string;
  send(message: OutboundSend): Promise<SendResult>;
  /**
   * Whether the provider already took this message since `since` (a send whose answer was never
   * recorded: the process died between the provider's 2xx and our update). Null when it has no
   * such message; throws when it cannot tell. Absent when the provider cannot be asked, in which
   * case an abandoned send is simply sent again (at least once).
   */
  lookup?(message: OutboundSend, since: Date): Promise<SendResult | null>;
}

// How a send fails, as every provider behind this port reports it; the outbox sender
// (messaging/deliver-message.ts) matches these classes with instanceof. Anything else a send
// throws (a network error, a timeout) is a failure it cannot classify, retried as one.

/**
 * The provider refused this send for good (opted out, invalid number, unverified trial
 * recipient…). Retrying cannot help; the caller records the message as suppressed or failed.
 */
export class SendRejectedError extends Error {
  override readonly name = "SendRejectedError";
  /** The provider's HTTP status; null when the send was refused before reaching it. */
  readonly status: number | null;
  /** The provider's error code (Twilio's 21610, 21211…), when it gave one. */
  readonly code: number | null;
  /** The provider's link explaining the code. */
  readonly moreInfo: string | null;
  /** The recipient opted out (STOP): the caller records it so nothing is texted to them again. */
  readonly optedOut: boolean;

  constructor(
    message: string,
    details: { status: number | null; code: number | null; moreInfo?: string | null; optedOut?: boolean },
  ) {
    super(message);
    this.status = details.status;
    this.code = details.code;
    this.moreInfo = details.moreInfo ?? null;
    this.optedOut = details.optedOut ?? false;
  }
}

/**
 * The provider kept answering "busy" (429, 5xx) until the attempts ran out. It answered, so
 * nothing was sent (for 429, guaranteed); the caller may queue the send again.
 */
export class SendUnavailableError extends Error {
  override readonly name = "SendUnavailableError";
  readonly status: number;
  readonly code: number | null;
  readonly attempts: number;

  constructor(message: string, details: { status: number; code: number | null; attempts: number }) {
    super(message);
    this.status = details.status;
    this.code = details.code;
    this.attempts = details.attempts;
  }
}
