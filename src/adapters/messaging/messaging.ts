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
