import ICAL from "ical.js";
import { expect, test } from "vitest";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";

// The on-call views of CONTRACT §10: who holds each role at an instant, and each schedule as an
// iCalendar feed, with a token and at its unguessable public URL, read by an independent parser.

const schedule = {
  id: "on-call",
  role: "on_call",
  rotation: { every: "1w", handoff: "mon 08:00", members: ["dana", "omar", "sam"], start: "2026-11-16" },
  overrides: [{ member: "mia", from: "2026-11-25T00:00:00-06:00", to: "2026-11-26T00:00:00-06:00" }],
};

describeOnBackends("on-call views on $name", ({ kind }) => {
  const t = useTestApp(kind);
  const withSchedule = () => t.newBusiness((c) => void ((c as any).schedules = [structuredClone(schedule)]));

  test("GET on-call names the member on duty and when the shift ends, an override winning", async () => {
    const business = await withSchedule();
    const week = await t.call("GET", `/api/businesses/${business}/on-call?at=2026-11-24T02:00:00-06:00`);
    expect(week.status).toBe(200);
    expect(week.body.roles.on_call).toEqual({ memberId: "omar", name: "Omar Lee", until: "2026-11-25T06:00:00.000Z" });
    expect(week.body.roles.manager).toMatchObject({ memberId: "mia", until: null });
    const overridden = await t.call("GET", `/api/businesses/${business}/on-call?at=2026-11-25T12:00:00-06:00`);
    expect(overridden.body.roles.on_call).toEqual({ memberId: "mia", name: "Mia Brooks", until: "2026-11-26T06:00:00.000Z" });
  });

  test("a schedule whose members are all away falls back to the manager, and says so", async () => {
    const business = await t.newBusiness((c) => {
      (c as any).schedules = [structuredClone(schedule)];
      for (const m of c.team) if (["dana", "omar", "sam"].includes(m.id)) (m as any).away = [{ from: "2026-11-20T00:00:00-06:00", to: "2026-12-01T00:00:00-06:00" }];
    });
    const res = await t.call("GET", `/api/businesses/${business}/on-call?at=2026-11-24T02:00:00-06:00`);
    expect(res.body.roles.on_call).toMatchObject({ memberId: "mia", fallback: "manager" });
  });

  test("the .ics feed parses with an independent parser: one event per shift, the override cut in", async () => {
    const business = await withSchedule();
    t.clock.set("2026-11-24T15:00:00Z");
    const res = await t.app.request(`/api/businesses/${business}/schedules/on-call.ics`, { headers: { authorization: "Bearer test-admin-token" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(await res.text()));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    const around = events
      .filter((e) => e.startDate.toJSDate() >= new Date("2026-11-23T00:00:00Z") && e.startDate.toJSDate() < new Date("2026-12-01T00:00:00Z"))
      .map((e) => [e.summary, e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()]);
    expect(around).toEqual([
      ["Omar Lee: on_call", "2026-11-23T14:00:00.000Z", "2026-11-25T06:00:00.000Z"],
      ["Mia Brooks: on_call (override)", "2026-11-25T06:00:00.000Z", "2026-11-26T06:00:00.000Z"],
      ["Omar Lee: on_call", "2026-11-26T06:00:00.000Z", "2026-11-30T14:00:00.000Z"],
      ["Sam Patel: on_call", "2026-11-30T14:00:00.000Z", "2026-12-07T14:00:00.000Z"],
    ]);
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
  });

  test("GET business lists each schedule's unguessable feed URL, which needs no token; a wrong token is 404", async () => {
    const business = await withSchedule();
    const { body } = await t.call("GET", `/api/businesses/${business}`);
    const [feed] = body.schedules;
    expect(feed).toMatchObject({ id: "on-call", role: "on_call" });
    const url = new URL(feed.icsUrl);
    expect(url.pathname).toMatch(new RegExp(`^/calendars/${business}/on-call/[0-9a-f]{40}\\.ics$`));
    const open = await t.app.request(url.pathname);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain("BEGIN:VCALENDAR");
    const forged = url.pathname.replace(/[0-9a-f]{40}/, "0".repeat(40));
    expect((await t.app.request(forged)).status).toBe(404);
    // Another business's schedule with this business's token: 404 too.
    expect((await t.app.request(url.pathname.replace(`/calendars/${business}/`, "/calendars/acme/"))).status).toBe(404);
  });

  test("an unknown schedule is 404 naming it", async () => {
    const res = await t.call("GET", "/api/businesses/acme/schedules/nope.ics");
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('No schedule "nope" in acme.');
  });
});
