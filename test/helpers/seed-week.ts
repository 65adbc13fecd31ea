import { and, eq } from "drizzle-orm";
import { timers } from "../../src/db/schema/index.ts";
import { fireTimer } from "../../src/escalation/fire-timer.ts";
import type { BusinessConfigInput } from "../../src/domain/business-config.ts";
import { completeLead, type TestApp } from "./test-app.ts";

/**
 * A varied week of leads, planned from a seed and played through the gateway's own routes and
 * timers (POST /api/leads, PATCH, accept, reject, close, the escalate timer), so every row and
 * history entry is what production writes. The plan is returned with the facts a test needs to
 * compute its expectations independently (when each lead was offered, accepted, escalated…).
 */

export const WEEK_KINDS = ["standard", "emergency", "estimate", "missed_call"] as const;
export type WeekKind = (typeof WEEK_KINDS)[number];

export const REJECT_REASONS = ["no gate code", "wrong address", "no callback time"] as const;

export interface PlannedLead {
  n: number;
  phone: string;
  kind: WeekKind;
  createdAt: Date;
  /** Created without an address, completed (and first offered) this many minutes later. */
  incompleteForMin?: number;
  /** Rejected this long after the first offer, the record fixed (and offered again) `refillAfterMin` later. */
  reject?: { afterMin: number; reason: (typeof REJECT_REASONS)[number]; refillAfterMin: number };
  /** Not accepted within the window: the escalate timer fires, the escalation target accepts. */
  escalate: boolean;
  /** Accepted this long after the offer it accepts; absent: never accepted. */
  acceptAfterMin?: number;
  /** The caller called again this long after the lead came in. */
  repeatAfterMin?: number;
  /** Closed 30 minutes after acceptance with this outcome. */
  close?: "booked" | "lost" | "membership";
}

/** A config that works around the clock, so no offer waits for an opening; `membership` counts as booked. */
export function roundTheClock(c: BusinessConfigInput): void {
  c.hours = { days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], open: "00:00", close: "23:59" };
  (c as any).outcomes = [{ id: "membership", booked: true }];
}

/** mulberry32: a small seeded generator, so the week is the same in every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The windows of the demo config, in minutes, by kind (missed calls are standard work). */
export const WINDOW_MIN: Record<WeekKind, number> = { standard: 15, emergency: 5, estimate: 60, missed_call: 15 };

/**
 * `count` leads, one every `spacingMin` from `start` (spaced so each lead's story ends before the
 * next begins), every kind and path represented whatever the seed.
 */
export function planWeek(seed: number, start: Date, count: number, spacingMin = 360): PlannedLead[] {
  const rnd = random(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const plan: PlannedLead[] = [];
  for (let n = 0; n < count; n++) {
    const kind = WEEK_KINDS[n % WEEK_KINDS.length]!;
    const lead: PlannedLead = {
      n,
      phone: `+1512555${String(2000 + n).padStart(4, "0")}`,
      kind,
      createdAt: new Date(start.getTime() + n * spacingMin * 60_000),
      escalate: false,
    };
    const path = (n + int(0, 5)) % 6;
    if (path === 0 && kind === "standard") lead.incompleteForMin = int(3, 40);
    if (path === 1) lead.reject = { afterMin: int(1, 4), reason: REJECT_REASONS[int(0, REJECT_REASONS.length - 1)]!, refillAfterMin: int(5, 30) };
    if (path === 2 || path === 3) lead.escalate = true;
    const neverAccepted = path === 5 && n % 2 === 1;
    if (!neverAccepted) lead.acceptAfterMin = lead.escalate ? WINDOW_MIN[kind] + int(1, 9) : int(1, WINDOW_MIN[kind] - 1);
    if (!lead.incompleteForMin && !lead.reject && rnd() < 0.4) lead.repeatAfterMin = int(1, Math.min(4, lead.acceptAfterMin ?? 4));
    if (lead.acceptAfterMin !== undefined && rnd() < 0.7) lead.close = (["booked", "lost", "membership"] as const)[int(0, 2)];
    plan.push(lead);
  }
  return plan;
}

/** When the (last) offer of a planned lead went out, and its first. */
export function offerTimes(p: PlannedLead) {
  const first = new Date(p.createdAt.getTime() + (p.incompleteForMin ?? 0) * 60_000);
  const last = p.reject ? new Date(first.getTime() + (p.reject.afterMin + p.reject.refillAfterMin) * 60_000) : first;
  return { first, last, accepted: p.acceptAfterMin === undefined ? null : new Date(last.getTime() + p.acceptAfterMin * 60_000) };
}

/** What seeding did that the plan could not know in advance: ids, codes, who each offer and acceptance went to. */
export interface SeededLead extends PlannedLead {
  id: string;
  code: number;
  ownerAtOffer: string;
  acceptedBy: string | null;
  escalatedTo: string | null;
}

const minutes = (at: Date, m: number) => new Date(at.getTime() + m * 60_000);

function fieldsOf(p: PlannedLead, business: string) {
  const base = completeLead({ business, phone: p.phone, fullName: `Caller ${p.n}` });
  if (p.kind === "emergency") return { ...base, urgency: "emergency", summaryNotes: "Water pouring through the ceiling" };
  if (p.kind === "estimate") return { ...base, leadType: "estimate", followUpDate: "2026-12-20", summaryNotes: "Wants a quote for a new water heater" };
  if (p.kind === "missed_call") return { ...base, source: "missed_call", summaryNotes: "Call did not connect", promisedNextStep: "Call the customer back" };
  return base;
}

async function ok(res: Promise<{ status: number; body: any }>, what: string) {
  const r = await res;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Plays the plan through the app, in time order, with the test clock. */
export async function seedWeek(t: TestApp, business: string, plan: PlannedLead[]): Promise<SeededLead[]> {
  const out: SeededLead[] = [];
  for (const p of plan) {
    const times = offerTimes(p);
    t.clock.set(p.createdAt.toISOString());
    const fields = fieldsOf(p, business);
    const { serviceAddress, ...withoutAddress } = fields;
    let lead = await ok(t.call("POST", "/api/leads", p.incompleteForMin ? withoutAddress : fields), `create ${p.n}`);
    if (p.repeatAfterMin !== undefined) {
      t.clock.set(minutes(p.createdAt, p.repeatAfterMin).toISOString());
      await ok(t.call("POST", "/api/leads", { business, phone: p.phone, fullName: `Caller ${p.n}`, channel: "vapi" }), `repeat ${p.n}`);
    }
    if (p.incompleteForMin) {
      t.clock.set(times.first.toISOString());
      lead = await ok(t.call("PATCH", `/api/leads/${lead.id}`, { serviceAddress }), `complete ${p.n}`);
    }
    const ownerAtOffer = lead.ownerId as string;
    if (p.reject) {
      t.clock.set(minutes(times.first, p.reject.afterMin).toISOString());
      await ok(t.call("POST", `/api/leads/${lead.id}/reject`, { memberId: ownerAtOffer, reason: p.reject.reason }), `reject ${p.n}`);
      t.clock.set(times.last.toISOString());
      lead = await ok(t.call("PATCH", `/api/leads/${lead.id}`, { summaryNotes: `${fields.summaryNotes}; ${p.reject.reason} sorted` }), `refill ${p.n}`);
      if (lead.state !== "offered") throw new Error(`lead ${p.n} was not offered again after the fix: ${lead.state}`);
    }
    let escalatedTo: string | null = null;
    if (p.escalate) {
      const [timer] = await t.deps.db
        .select()
        .from(timers)
        .where(and(eq(timers.leadId, lead.id), eq(timers.kind, "escalate"), eq(timers.status, "pending")));
      if (!timer) throw new Error(`lead ${p.n} has no escalate timer`);
      t.clock.set(timer.dueAt.toISOString());
      await fireTimer(t.deps, timer);
      await t.deps.db.update(timers).set({ status: "fired" }).where(eq(timers.id, timer.id));
      lead = await ok(t.call("GET", `/api/leads/${lead.id}`), `read ${p.n}`);
      escalatedTo = (lead.offeredTo as string[]).at(-1) ?? null;
    }
    let acceptedBy: string | null = null;
    if (times.accepted) {
      acceptedBy = escalatedTo ?? ownerAtOffer;
      t.clock.set(times.accepted.toISOString());
      await ok(t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: acceptedBy }), `accept ${p.n}`);
      if (p.close) {
        t.clock.set(minutes(times.accepted, 30).toISOString());
        await ok(t.call("POST", `/api/leads/${lead.id}/close`, { memberId: acceptedBy, outcome: p.close }), `close ${p.n}`);
      }
    }
    await t.settle();
    out.push({ ...p, id: lead.id, code: lead.code, ownerAtOffer, acceptedBy, escalatedTo });
  }
  return out;
}
