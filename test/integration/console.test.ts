import { eq } from "drizzle-orm";
import { beforeEach, expect, test } from "vitest";
import { consoleSessions, leads, signInCodes } from "../../src/db/schema/index.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { CONSOLE_ORIGIN, ConsoleClient } from "../helpers/console-client.ts";
import { completeLead } from "../helpers/test-app.ts";

// The console (CONTRACT §11) through the app, as a browser reaches it: sign-in by SMS code and by
// the admin token, the session cookie, CSRF, role-scoped visibility, escaping, and the lead
// page's forms calling the API's own verbs with the API's own refusals.

const DANA = "+15125550111"; // dispatch: the whole business
const SAM = "+15125550114"; // sales: only leads offered to or owned by him

describeOnBackends("the console on $name", ({ kind }) => {
  const t = useTestApp(kind);
  // Each test past the previous one's rate window (3 codes a phone, 10 an address, per 15 minutes).
  beforeEach(() => t.clock.advance(16 * 60_000));
  let phones = 0;
  /** A fresh customer phone per lead, so no lead merges into another. */
  const lead = async (over: Record<string, unknown> = {}) => {
    const res = await t.call("POST", "/api/leads", completeLead({ phone: `+1512555${String(7000 + ++phones)}`, ...over }));
    expect(res.status).toBe(201);
    return res.body as { id: string; code: number; business: string };
  };

  test("a member signs in with the code texted to them: hashed at rest, masked in /api/messages, a Secure HttpOnly SameSite cookie", async () => {
    const browser = new ConsoleClient(t);
    const board = await browser.signIn(DANA);
    expect(board.status).toBe(200);
    expect(board.text).toContain("Dana Ruiz");

    const code = browser.lastCode(DANA);
    const rows = await t.deps.db.select().from(signInCodes).where(eq(signInCodes.phone, DANA));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(JSON.stringify(row)).not.toContain(code);

    const messages = (await t.call("GET", "/api/messages?business=acme")).body.messages as { purpose: string; body: string; memberId: string }[];
    const signIn = messages.filter((m) => m.purpose === "sign-in");
    expect(signIn.length).toBeGreaterThan(0);
    expect(signIn[0]!.memberId).toBe("dana");
    for (const m of signIn) expect(m.body).not.toMatch(/\d{6}/);

    const session = browser.cookies.get("handoff_session")!;
    const stored = await t.deps.db.select().from(consoleSessions);
    expect(stored.some((s) => s.tokenHash === session)).toBe(false);
    expect(JSON.stringify(stored)).not.toContain(session);
  });

  test("the session cookie is HttpOnly, SameSite=Lax, Secure (PUBLIC_URL is https) and scoped to /console", async () => {
    const browser = new ConsoleClient(t);
    await browser.get("/console");
    await browser.post("/console/sign-in/code", { phone: DANA });
    await t.settle();
    const res = await t.app.request("/console/sign-in/verify", {
      method: "POST",
      headers: { cookie: `handoff_sign_in=${browser.cookies.get("handoff_sign_in")}`, origin: CONSOLE_ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: browser.csrf, phone: DANA, code: browser.lastCode(DANA) }).toString(),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("handoff_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/Path=\/console/);
  });

  test("five wrong codes use the code up: the right one no longer works", async () => {
    const browser = new ConsoleClient(t);
    await browser.get("/console");
    await browser.post("/console/sign-in/code", { phone: DANA });
    await t.settle();
    const right = browser.lastCode(DANA);
    const wrong = right === "000000" ? "111111" : "000000";
    for (let i = 4; i >= 0; i--) {
      const res = await browser.post("/console/sign-in/verify", { phone: DANA, code: wrong });
      expect(res.status).toBe(401);
      if (i > 0) expect(res.text).toContain(`${i} ${i === 1 ? "try" : "tries"} left`);
    }
    const late = await browser.post("/console/sign-in/verify", { phone: DANA, code: right });
    expect(late.status).toBe(401);
    expect(late.text).toContain("expired or was tried too often");
    expect(browser.cookies.has("handoff_session")).toBe(false);
  });

  test("a code lasts 10 minutes", async () => {
    const browser = new ConsoleClient(t);
    await browser.get("/console");
    await browser.post("/console/sign-in/code", { phone: DANA });
    await t.settle();
    t.clock.advance(10 * 60_000 + 1000);
    const res = await browser.post("/console/sign-in/verify", { phone: DANA, code: browser.lastCode(DANA) });
    expect(res.status).toBe(401);
    expect(browser.cookies.has("handoff_session")).toBe(false);
  });

  test("codes are rate-limited per phone and per address; a phone on no team is answered alike and texted nothing", async () => {
    const browser = new ConsoleClient(t);
    await browser.get("/console");
    const ip = { "cf-connecting-ip": "203.0.113.7" };
    for (let i = 0; i < 3; i++) expect((await browser.post("/console/sign-in/code", { phone: SAM }, ip)).status).toBe(200);
    await t.settle();
    const printedBefore = t.printed.length;
    const limited = await browser.post("/console/sign-in/code", { phone: SAM }, ip);
    expect(limited.status).toBe(429);
    await t.settle();
    expect(t.printed.slice(printedBefore).filter((l) => l.includes(SAM))).toEqual([]);

    const stranger = await browser.post("/console/sign-in/code", { phone: "+15125559999" }, ip);
    expect(stranger.status).toBe(200);
    expect(stranger.text).toContain("If +15125559999 is on a team");
    await t.settle();
    expect(t.printed.some((l) => l.includes("+15125559999"))).toBe(false);

    // Per address: ten codes from one address in the window, whatever the phones.
    for (let i = 0; i < 6; i++) expect((await browser.post("/console/sign-in/code", { phone: `+1512555${8100 + i}` }, ip)).status).toBe(200);
    expect((await browser.post("/console/sign-in/code", { phone: "+15125558200" }, ip)).status).toBe(429);
    expect((await browser.post("/console/sign-in/code", { phone: "+15125558200" }, { "cf-connecting-ip": "203.0.113.8" })).status).toBe(200);
  });

  test("a session ends after 12 idle hours, lives on while used, and sign-out ends it for good", async () => {
    const browser = new ConsoleClient(t);
    await browser.signIn(DANA);
    t.clock.advance(11 * 3_600_000);
    expect((await browser.get("/console/board")).status).toBe(200);
    t.clock.advance(11 * 3_600_000);
    expect((await browser.get("/console/board")).status).toBe(200);
    t.clock.advance(12 * 3_600_000 + 60_000);
    const idle = await browser.get("/console/board");
    expect(idle.status).toBe(303);
    expect(idle.headers.get("location")).toBe("/console");

    const again = new ConsoleClient(t);
    await again.signIn(DANA);
    const kept = again.cookies.get("handoff_session")!;
    expect((await again.post("/console/sign-out", {})).status).toBe(303);
    const reused = await t.app.request("/console/board", { headers: { cookie: `handoff_session=${kept}` } });
    expect(reused.status).toBe(303);
  });

  test("the operator signs in with ADMIN_TOKEN and sees every business; a wrong token is refused", async () => {
    const other = await t.newBusiness();
    const mine = await lead({ business: other, fullName: "Olga Other" });
    const wrong = new ConsoleClient(t);
    await wrong.get("/console");
    expect((await wrong.post("/console/sign-in/operator", { token: "nope" })).status).toBe(401);

    // Guessing the token is limited like asking for codes: ten an address in 15 minutes.
    for (let i = 0; i < 9; i++) expect((await wrong.post("/console/sign-in/operator", { token: `guess-${i}` })).status).toBe(401);
    expect((await wrong.post("/console/sign-in/operator", { token: "test-admin-token" })).status).toBe(429);
    expect(wrong.cookies.has("handoff_session")).toBe(false);

    const operator = new ConsoleClient(t);
    const board = await operator.signInOperator();
    expect(board.text).toContain("Operator (every business)");
    expect(board.text).toContain("Olga Other");
    expect((await operator.get(`/console/leads/${other}:${mine.code}`)).status).toBe(200);
    expect((await operator.get(`/console/config?business=${other}`)).status).toBe(200);

    // Rotating ADMIN_TOKEN ends the operator sessions signed in with the old one.
    const settings = t.deps.settings as { adminToken: string };
    const token = settings.adminToken;
    settings.adminToken = "rotated-admin-token";
    try {
      expect((await operator.get("/console/board")).status).toBe(303);
    } finally {
      settings.adminToken = token;
    }

    // A member of acme sees nothing of another business, whatever the URL says.
    const dana = new ConsoleClient(t);
    await dana.signIn(DANA);
    expect((await dana.get(`/console/leads/${other}:${mine.code}`)).status).toBe(404);
    expect((await dana.get(`/console/leads/${mine.id}`)).status).toBe(404);
    expect((await dana.get(`/console/board?business=${other}`)).text).not.toContain("Olga Other");
    expect((await dana.post(`/console/leads/${other}:${mine.code}/notes`, { text: "not mine" })).status).toBe(404);
  });

  test("forms without the session's CSRF token, or from another origin, are refused and change nothing", async () => {
    const { code } = await lead({ fullName: "Csrf Target" });
    const browser = new ConsoleClient(t);
    await browser.signIn(DANA);
    const path = `/console/leads/acme:${code}/notes`;
    const noToken = await browser.post(path, { _csrf: "", text: "forged" });
    expect(noToken.status).toBe(403);
    const wrongToken = await browser.post(path, { _csrf: "a".repeat(64), text: "forged" });
    expect(wrongToken.status).toBe(403);
    await browser.get(`/console/leads/acme:${code}`);
    const elsewhere = await browser.post(path, { text: "forged" }, { origin: "https://evil.example" });
    expect(elsewhere.status).toBe(403);
    // Without Origin, the browser's Sec-Fetch-Site says where the form came from.
    const crossSite = await browser.post(path, { text: "forged" }, { origin: "", "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(crossSite.text).toContain("sent from another site");
    const after = (await t.call("GET", `/api/leads/acme:${code}`)).body;
    expect(after.notes).toEqual([]);

    const noOrigin = await browser.post(path, { text: "same site, no Origin" }, { origin: "", "sec-fetch-site": "same-origin" });
    expect(noOrigin.status).toBe(303);
    const ok = await browser.post(path, { text: "real note" });
    expect(ok.status).toBe(303);
    expect((await t.call("GET", `/api/leads/acme:${code}`)).body.notes).toMatchObject([{ by: "dana", text: "same site, no Origin" }, { by: "dana", text: "real note" }]);

    // The sign-in forms too: their token is the sign-in cookie's.
    const fresh = new ConsoleClient(t);
    await fresh.get("/console");
    expect((await fresh.post("/console/sign-in/code", { phone: DANA, _csrf: "0".repeat(48) })).status).toBe(403);
  });

  test("a member without an office role sees only leads offered to or owned by them, on the board, by URL and by form", async () => {
    const theirs = await lead({ leadType: "estimate", followUpDate: "2026-11-30", fullName: "Estimate For Sam" });
    const notTheirs = await lead({ fullName: "Standard For Dana" });
    const sam = new ConsoleClient(t);
    const board = await sam.signIn(SAM);
    expect(board.text).toContain("Estimate For Sam");
    expect(board.text).not.toContain("Standard For Dana");
    expect((await sam.get("/console/board?q=Standard")).text).not.toContain("Standard For Dana");
    expect((await sam.get("/console/board/columns?business=acme")).text).not.toContain("Standard For Dana");

    expect((await sam.get(`/console/leads/acme:${theirs.code}`)).status).toBe(200);
    expect((await sam.get(`/console/leads/acme:${notTheirs.code}`)).status).toBe(404);
    expect((await sam.get(`/console/leads/${notTheirs.id}`)).status).toBe(404);
    for (const [action, form] of [["accept", {}], ["notes", { text: "mine now" }], ["close", { outcome: "lost" }], ["reassign", { memberId: "sam", reason: "taking it" }]] as const) {
      expect((await sam.post(`/console/leads/acme:${notTheirs.code}/${action}`, form)).status, action).toBe(404);
    }
    const untouched = (await t.call("GET", `/api/leads/acme:${notTheirs.code}`)).body;
    expect(untouched).toMatchObject({ state: "offered", offeredTo: ["dana"], notes: [] });
    expect(untouched.events.map((e: { type: string }) => e.type)).toEqual(["created", "offered"]);
    for (const office of ["/console/review", "/console/team", "/console/config"]) expect((await sam.get(office)).status, office).toBe(403);

    const dana = new ConsoleClient(t);
    const whole = await dana.signIn(DANA);
    expect(whole.text).toContain("Standard For Dana");
    expect(whole.text).toContain("Estimate For Sam");
  });

  test("a technician sees the lead handed to them and no other, and cannot act on another's", async () => {
    const slug = await t.newBusiness((c) => c.team.push({ id: "tom", name: "Tom Tech", phone: "+15125550177", roles: ["technician"] }));
    const handed = await lead({ business: slug, fullName: "Handed To Tom" });
    const other = await lead({ business: slug, fullName: "Kept By Dana" });
    expect((await t.call("POST", `/api/leads/${slug}:${handed.code}/reassign`, { memberId: "tom", reason: "closest truck" })).status).toBe(200);

    const tom = new ConsoleClient(t);
    const board = await tom.signIn("+15125550177");
    expect(board.text).toContain("Handed To Tom");
    expect(board.text).not.toContain("Kept By Dana");
    expect((await tom.get(`/console/leads/${slug}:${other.code}`)).status).toBe(404);
    expect((await tom.post(`/console/leads/${slug}:${other.code}/accept`, {})).status).toBe(404);
    expect((await t.call("GET", `/api/leads/${slug}:${other.code}`)).body).toMatchObject({ state: "offered", offeredTo: ["dana"] });

    // Their own lead they can take, by the same verb as the API.
    await tom.get(`/console/leads/${slug}:${handed.code}`);
    expect((await tom.post(`/console/leads/${slug}:${handed.code}/accept`, {})).status).toBe(303);
    expect((await t.call("GET", `/api/leads/${slug}:${handed.code}`)).body).toMatchObject({ state: "accepted", ownerId: "tom" });
  });

  test("what people and callers wrote is escaped everywhere it is shown", async () => {
    const xss = await lead({ fullName: `<script>alert("name")</script>`, summaryNotes: `<img src=x onerror=alert(1)> leak` });
    await t.deps.db.update(leads).set({ transcript: `Caller: <script>alert("transcript")</script>` }).where(eq(leads.id, xss.id));
    const browser = new ConsoleClient(t);
    await browser.signIn(DANA);
    await browser.post(`/console/leads/acme:${xss.code}/notes`, { text: `</li><script>alert("note")</script>` });
    const pageText = (await browser.get(`/console/leads/acme:${xss.code}`)).text;
    const board = (await browser.get("/console/board")).text;
    for (const text of [pageText, board]) {
      expect(text).not.toMatch(/<script>alert/);
      expect(text).not.toContain("<img src=x");
    }
    expect(pageText).toContain("&lt;script&gt;alert(&quot;transcript&quot;)&lt;/script&gt;");
    expect(pageText).toContain("&lt;script&gt;alert(&quot;note&quot;)&lt;/script&gt;");
    expect(pageText).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(board).toContain("&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;");
  });

  test("the lead page's forms run the API's verbs and show the API's refusals", async () => {
    const { code } = await lead({ fullName: "Flow Lead" });
    const browser = new ConsoleClient(t);
    await browser.signIn(DANA);
    const at = `/console/leads/acme:${code}`;
    await browser.get(at);

    const noReason = await browser.post(`${at}/reject`, { reason: "" });
    const api = await t.call("POST", `/api/leads/acme:${code}/reject`, { memberId: "dana" });
    expect(noReason.status).toBe(api.status);
    expect(noReason.text).toContain(api.body.error.message);

    expect((await browser.post(`${at}/accept`, {})).status).toBe(303);
    const again = await browser.post(`${at}/accept`, {});
    const apiAgain = await t.call("POST", `/api/leads/acme:${code}/accept`, { memberId: "dana" });
    expect(again.status).toBe(409);
    expect(again.text).toContain(apiAgain.body.error.message.replace(/"/g, "&quot;"));

    expect((await browser.post(`${at}/next-action`, { action: "call to book", dueAt: "2026-12-24T09:00" })).status).toBe(303);
    expect((await browser.post(`${at}/next-action`, { action: "too late", dueAt: "2026-11-01T09:00" })).status).toBe(400);
    expect((await browser.post(`${at}/notes`, { text: "gate code 4411" })).status).toBe(303);
    expect((await browser.post(`${at}/fields`, { market: "Austin" })).status).toBe(303);

    const badOutcome = await browser.post(`${at}/close`, { outcome: "maybe" });
    const apiBad = await t.call("POST", `/api/leads/acme:${code}/close`, { outcome: "maybe" });
    expect(badOutcome.status).toBe(400);
    expect(badOutcome.text).toContain(apiBad.body.error.message);
    expect((await browser.post(`${at}/close`, { outcome: "booked" })).status).toBe(303);

    const done = (await t.call("GET", `/api/leads/acme:${code}`)).body;
    expect(done).toMatchObject({ state: "closed", outcome: "booked", ownerId: "dana", market: "Austin", nextAction: "call to book" });
    // 09:00 in Chicago (CST, UTC−6) on Dec 24.
    expect(done.nextActionDueAt).toBe("2026-12-24T15:00:00.000Z");
    expect(done.events.map((e: { type: string; actor: string }) => `${e.type}:${e.actor}`)).toEqual(
      expect.arrayContaining(["accepted:member:dana", "next_action:member:dana", "note:member:dana", "fields_updated:member:dana", "closed:member:dana"]),
    );
    const shown = (await browser.get(at)).text;
    expect(shown).toContain("gate code 4411");
    expect(shown).toMatch(/Nov \d+, \d+:\d\d [AP]M CST/); // the timeline, in the business's zone
    expect(shown).toContain("Thu, Dec 24, 9:00 AM CST"); // the due time
  });

  test("a NUL or lone surrogate in a query or a form is refused with 400 before any query, like the API's bodies", async () => {
    const { code } = await lead({ fullName: "Nul Target" });
    const browser = new ConsoleClient(t);
    await browser.signIn(DANA);
    for (const path of ["/console/board?q=a%00b", "/console/board/columns?cursor=%00", "/console/team?business=acme%00", "/console/config?version=1%00"]) {
      expect((await browser.get(path)).status, path).toBe(400);
    }
    await browser.get(`/console/leads/acme:${code}`);
    const res = await browser.post(`/console/leads/acme:${code}/reject`, { reason: "no\u0000address" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("reason: contains a NUL character");
    expect((await t.call("GET", `/api/leads/acme:${code}`)).body).toMatchObject({ state: "offered", rejections: [] });
  });

  test("every console page carries a CSP that allows only this origin, and the secure headers", async () => {
    const browser = new ConsoleClient(t);
    const signInPage = await browser.get("/console");
    await browser.signIn(DANA);
    for (const res of [signInPage, await browser.get("/console/board"), await browser.get("/console/team")]) {
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    }
    const pages = ["/console/review", "/console/team", "/console/config", "/console/config?version=1", "/console/review?date=2026-11-20"];
    for (const p of pages) expect((await browser.get(p)).status, p).toBe(200);
  });
});
