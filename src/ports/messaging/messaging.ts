/** One outbound SMS or call, as the outbox row describes it. */
export interface OutboundSend {
  messageId: string;
  businessSlug: string;
  to: string;
  /** The business number to send from (first of `numbers`), when it has one. */
  from: string | null;
  channel: "sms" | "voice";
  /** SMS text, or for a call the words it speaks. */
  body: string;
  /** For a call: TwiML to run instead of just saying `body` (keypad gather on escalations). */
  twiml?: string;
  /** Where the provider posts delivery status, when the gateway has a public URL. */
  statusCallback: string | null;
}

export interface SendResult {
  /** sent, queued, dry-run… as the provider reported it. */
  status: string;
  providerId: string | null;
}

/** The outbound seam: Twilio when credentials are set, dry-run (record and print) otherwise. */
export interface Messaging {
  readonly name: string;
  send(message: OutboundSend): Promise<SendResult>;
}
