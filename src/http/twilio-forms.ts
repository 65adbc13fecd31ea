import { z } from "zod";

/** The Twilio webhooks a business's number points at. */
export const HOOKS = ["voice", "dial-status", "sms", "status", "gather", "voicemail"] as const;
export type Hook = (typeof HOOKS)[number];

// What each webhook must carry for the gateway to act on it; Twilio's other fields are ignored.
const sid = z.string().min(1);
export const FORMS = {
  voice: z.object({ CallSid: sid, From: z.string().default("") }),
  "dial-status": z.object({ CallSid: sid, From: z.string().default(""), DialCallStatus: z.string().min(1) }),
  sms: z.object({ MessageSid: sid, From: z.string().min(1), Body: z.string().default(""), OptOutType: z.string().optional() }),
  status: z
    .object({ MessageSid: z.string().optional(), CallSid: z.string().optional(), MessageStatus: z.string().optional(), CallStatus: z.string().optional(), ErrorCode: z.string().optional() })
    .refine((f) => (f.MessageSid || f.CallSid) && (f.MessageStatus || f.CallStatus), { message: "needs MessageSid with MessageStatus, or CallSid with CallStatus" }),
  gather: z.object({ CallSid: sid, Digits: z.string().default("") }),
  voicemail: z.object({ CallSid: sid, RecordingUrl: z.string().default(""), RecordingSid: z.string().default(""), RecordingDuration: z.string().optional() }),
} satisfies Record<Hook, z.ZodType>;

/** A Twilio webhook's form as validated. */
export type Form<H extends Hook> = z.output<(typeof FORMS)[H]>;

/** A whole number of seconds Twilio reported, or null for anything else. */
export function seconds(value: string | undefined): number | null {
  const n = value && /^\d{1,6}$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}
