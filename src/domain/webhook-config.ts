import { z } from "zod";
import { id } from "./config-fields.ts";
import { OUTBOUND_EVENT_TYPES } from "./outbound-event.ts";

/** What a GET shows in place of a secret; sent back on apply, it stands for the stored one. */
export const SECRET_MASK = "********";

/**
 * A Standard Webhooks signing secret: `whsec_` and the base64 of 24 to 64 random bytes (the
 * spec's range), the form receivers' libraries take as it is.
 */
const WHSEC = /^whsec_(?:[A-Za-z0-9+/]{4}){8,22}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const signingSecret = z
  .string()
  .refine((s) => s === SECRET_MASK || WHSEC.test(s), {
    message: "a Standard Webhooks secret: whsec_ followed by the base64 of 24 to 64 random bytes (e.g. whsec_$(openssl rand -base64 32))",
  })
  .meta({ description: "whsec_… (Standard Webhooks); read back as ********", pattern: `^(whsec_[A-Za-z0-9+/=]{32,}|\\*{8})$` });

/** One subscription: these events, signed with this secret, POSTed to this URL. */
export const webhookSubscriptionSchema = z.strictObject({
  id: id.describe("Stable id of the subscription; deliveries name it"),
  url: z.url({ protocol: /^https?$/, message: "an http:// or https:// URL" }).describe("Where events are POSTed"),
  secret: signingSecret,
  events: z.array(z.enum(OUTBOUND_EVENT_TYPES, { message: `must be one of ${OUTBOUND_EVENT_TYPES.join(", ")}` })).min(1),
});

/**
 * The per-business `webhooks` list; ids are unique so a delivery names one subscription. The id
 * check runs even when other fields of a subscription failed, so every problem is listed at once.
 */
export const webhooksSchema = z
  .array(webhookSubscriptionSchema)
  .default([])
  .superRefine(
    (subs: unknown[], ctx) => {
      const seen = new Set<string>();
      subs.forEach((s, i) => {
        const subId = typeof s === "object" && s !== null ? (s as { id?: unknown }).id : undefined;
        if (typeof subId !== "string") return;
        if (seen.has(subId)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate webhook id "${subId}"` });
        seen.add(subId);
      });
    },
    { when: (payload) => Array.isArray(payload.value) },
  );

export type WebhookSubscription = z.output<typeof webhookSubscriptionSchema>;
