import { z } from "zod";
import { duration } from "./config-fields.ts";
import { e164Phone } from "./phone.ts";

/** The lead fields the gateway can ask a caller for, one question each (domain/copy/customer-texts.ts). */
export const ASKABLE_FIELDS = ["serviceAddress", "serviceType", "fullName"] as const;
export type AskableField = (typeof ASKABLE_FIELDS)[number];

const vapiCall = z.strictObject({
  assistantId: z.string().min(1).describe("The Vapi assistant that makes the call"),
  phoneNumberId: z.string().min(1).describe("The Vapi phone number id the call comes from"),
});

const retellCall = z.strictObject({
  agentId: z.string().min(1).describe("The Retell agent that makes the call (override_agent_id)"),
  fromNumber: e164Phone.describe("The Retell number the call comes from"),
});

/**
 * `askCustomer` (CONTRACT §15): an incomplete, non-emergency lead asks its caller for what is
 * missing, one text per field, before intake is told. Off unless turned on.
 */
export const askCustomerSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Ask the caller for missing fields before intake is told"),
    fields: z
      .array(z.enum(ASKABLE_FIELDS, { message: `must be one of ${ASKABLE_FIELDS.join(", ")}` }))
      .min(1)
      .refine((list) => new Set(list).size === list.length, "a field is listed twice")
      .default(["serviceAddress", "serviceType", "fullName"])
      .describe("The fields the caller may be asked for, in the order they are asked"),
    waitFor: duration.default("10m").describe("How long the caller has to complete the record before intake is told"),
    maxQuestions: z.number().int().min(1).max(5).default(2).describe("At most this many fields are asked (a re-ask of an answer that did not fit is not counted)"),
    callWith: z
      .union([z.strictObject({ vapi: vapiCall }), z.strictObject({ retell: retellCall })])
      .optional()
      .describe("Call the caller back with an AI agent instead of texting (uses reconcile.<provider>.apiKey/baseUrl or the environment's key)"),
  })
  .prefault({});

export type AskCustomerConfig = z.output<typeof askCustomerSchema>;
export type AskCallWith = NonNullable<AskCustomerConfig["callWith"]>;
