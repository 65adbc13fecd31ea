import type { LeadRecord, MessageRecord } from "./backend.ts";

/** The lead fields `handoff show` lists, in the order intake fills them (CONTRACT §3). */
const FIELDS = [
  "fullName", "phone", "serviceAddress", "market", "serviceType", "urgency", "source", "summaryNotes",
  "promisedNextStep", "leadType", "opportunity", "fit", "referralContext", "followUpDate", "channel",
  "ownerId", "pendingOwnerId", "nextAction", "nextActionDueAt", "outcome", "externalId", "recordingUrl",
] as const;

/** How long one event's detail may run on its line before it is cut. */
const DETAIL_CHARS = 110;
/** Long values (notes, message bodies) wrap at this column. */
const WIDTH = 100;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A time in the business's zone, e.g. "Mon, Nov 23, 9:15:02 AM CST". */
export function businessTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone, weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit", timeZoneName: "short",
  }).format(new Date(iso));
}

/**
 * A lead for a terminal: its fields (required ones still absent marked MISSING), its timeline
 * of events and its messages, oldest first, in the business's time zone.
 */
export function leadView(lead: LeadRecord, messages: MessageRecord[], timeZone: string): string {
  const at = (iso: string) => businessTime(iso, timeZone);
  const missing = new Set(lead.missingFields);
  const value = (name: (typeof FIELDS)[number]) => {
    const v = lead[name];
    if (v !== null && v !== undefined && v !== "") return name === "nextActionDueAt" ? at(String(v)) : String(v);
    if (name === "serviceAddress" && missing.has(name)) return "MISSING (or a market)";
    return missing.has(name) ? "MISSING" : "-";
  };
  const width = Math.max(...FIELDS.map((f) => f.length)) + 2;
  const lines = [
    `Lead ${lead.business}:${lead.code}  ${lead.state.toUpperCase()}  (id ${lead.id})`,
    `Created ${at(lead.createdAt)}; escalation level ${lead.escalationLevel}${lead.offeredTo.length ? `; offered to ${lead.offeredTo.join(", ")}` : ""}`,
    "",
    "Fields",
    ...FIELDS.map((f) => indent(`  ${f.padEnd(width)}`, value(f))),
    `  ${"missing".padEnd(width)}${lead.missingFields.join(", ") || "none"}`,
    ...lead.rejections.map((r) => `  ${"rejected".padEnd(width)}${JSON.stringify(r)}`),
    ...lead.notes.map((n) => indent(`  ${"note".padEnd(width)}`, `${at(n.at)} by ${n.by}: ${n.text}`)),
    "",
    `Timeline (${timeZone})`,
    ...(lead.events ?? []).map((e) => `  ${at(e.at)}  ${e.type}  by ${e.actor}${detailText(e.detail, at)}`),
    "",
    "Messages",
    ...(messages.length === 0 ? ["  none"] : []),
    ...[...messages].reverse().flatMap((m) => [
      `  ${at(m.createdAt)}  ${m.channel} → ${m.to}${m.memberId ? ` (${m.memberId})` : ""}  ${m.purpose}  ${m.status}${m.statusReason ? ` (${m.statusReason})` : ""}`,
      indent("      ", m.body),
    ]),
  ];
  return lines.join("\n");
}

/** `label` then `text`, wrapped at WIDTH, its later lines indented under the first. */
function indent(label: string, text: string): string {
  const room = Math.max(WIDTH - label.length, 30);
  const lines = text.split("\n").flatMap((line) => {
    const out: string[] = [];
    let current = "";
    for (const word of line.split(" ")) {
      if (current && current.length + 1 + word.length > room) {
        out.push(current);
        current = word;
      } else current = current ? `${current} ${word}` : word;
    }
    return [...out, current];
  });
  return label + lines.join(`\n${" ".repeat(label.length)}`);
}

/** An event's detail as `key=value` pairs on one line, its times in the business's zone. */
function detailText(detail: unknown, at: (iso: string) => string): string {
  if (!detail || typeof detail !== "object") return detail === null || detail === undefined ? "" : `  ${String(detail)}`;
  const pairs = Object.entries(detail as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${typeof v === "string" ? (ISO_TIME.test(v) ? at(v) : v) : Array.isArray(v) && v.every((x) => typeof x !== "object") ? v.join(",") : JSON.stringify(v)}`);
  const text = pairs.join(" ").replace(/\s+/g, " ");
  return text ? `  ${text.length > DETAIL_CHARS ? `${text.slice(0, DETAIL_CHARS - 1)}…` : text}` : "";
}
