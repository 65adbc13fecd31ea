import type { Messaging } from "./messaging.ts";

/** Records nothing itself (the outbox row is the record) and prints what would have been sent. */
export function dryRunMessaging(print: (line: string) => void = (line) => console.log(line)): Messaging {
  return {
    name: "dry-run",
    async send(message) {
      const kind = message.channel === "sms" ? "SMS" : "CALL";
      print(`[dry-run ${kind} → ${message.to}] ${message.body}`);
      return { status: "dry-run", providerId: null };
    },
  };
}
