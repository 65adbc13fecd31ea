import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { chromiumOrSay, launchChromium } from "../helpers/browser.ts";
import { startGateway, type GatewayProcess } from "../helpers/gateway-process.ts";
import { waitFor } from "../helpers/wait-for.ts";

// The QA review page (CONTRACT §12) of a real gateway process in headless Chromium: the demo
// manager signs in by the code the dry-run prints and reviews five handoffs of this week with the
// keyboard only (y/n/u, j/k, Enter); the answers are then read back through GET /api/qa. Then the
// metrics page (its charts and CSV download) and the deliveries page. Screenshots go to test-results/console/ (or CONSOLE_SCREENSHOTS).

const hasChromium = chromiumOrSay("console QA browser tests");

const SHOTS = process.env.CONSOLE_SCREENSHOTS || join("test-results", "console");
const TOKEN = `console-qa-e2e-${crypto.randomUUID()}`;
const MIA = "+15125550113"; // manager
const QUESTIONS = ["ownerCorrect", "notesSufficient", "waitedTooLong", "customerRepeated", "outcomeMatched"] as const;
const KEY = { yes: "y", no: "n", unsure: "u" } as const;
type Answer = keyof typeof KEY;

/** What the manager answers for the i-th handoff she is shown: varied, so a mix-up shows. */
const PLANNED: Answer[][] = [
  ["yes", "yes", "no", "no", "yes"],
  ["no", "unsure", "yes", "no", "yes"],
  ["yes", "no", "unsure", "yes", "no"],
  ["unsure", "yes", "yes", "unsure", "no"],
  ["no", "no", "no", "yes", "unsure"],
];

describe.skipIf(!hasChromium)("the QA review in Chromium", () => {
  let gateway: GatewayProcess;
  let base: string;
  let browser: Browser;
  const codes: number[] = [];
  /** A receiver of the business's events that answers 500, counting each delivery's attempts by webhook-id. */
  const attempts = new Map<string, number>();
  let receiver: Server;
  const dataDir = mkdtempSync(join(tmpdir(), "handoff-console-qa-"));
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    gateway = startGateway({ DATA_DIR: dataDir, ADMIN_TOKEN: TOKEN, DATABASE_URL: "" });
    base = await gateway.ready;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
    // Open around the clock, so every lead is offered (a handoff of this week) whenever the test runs.
    receiver = createServer((req, res) => {
      const id = String(req.headers["webhook-id"]);
      attempts.set(id, (attempts.get(id) ?? 0) + 1);
      req.resume();
      res.statusCode = 500;
      res.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const current = await api("GET", "/api/businesses/acme");
    current.body.config.webhooks = [
      { id: "crm", url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", events: ["lead.created"] },
    ];
    current.body.config.hours = { days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], open: "00:00", close: "23:59" };
    expect((await api("PUT", "/api/businesses/acme", current.body.config)).status).toBe(200);
    // Six handoffs of this week, through the API (real time: they fall in the current ISO week).
    for (let n = 0; n < 6; n++) {
      const res = await api("POST", "/api/leads", {
        business: "acme", fullName: `QA Caller ${n}`, phone: `+1512555${3100 + n}`, serviceAddress: `${n} Elm St, Austin TX 78701`,
        serviceType: "plumbing", urgency: n === 0 ? "emergency" : "standard", source: n === 1 ? "missed_call" : "website",
        summaryNotes: n === 2 ? `<script>alert("qa")</script> sink` : "Kitchen sink leaking", promisedNextStep: "Call back to book a visit",
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.state).toBe("offered");
      codes.push(res.body.code);
      if (n === 0) expect((await api("POST", `/api/leads/${res.body.id}/accept`, { memberId: res.body.offeredTo[0] })).status).toBe(200);
    }
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    receiver?.close();
    gateway?.child.kill("SIGTERM");
    await gateway?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(page: Page, phone: string) {
    await page.goto(`${base}/console`);
    await page.getByLabel("Your phone number").fill(phone);
    const since = gateway.output().length;
    await page.getByRole("button", { name: "Text me a code" }).click();
    await page.getByLabel("Code").waitFor();
    let code: string | undefined;
    await waitFor(async () => (code = new RegExp(`\\[dry-run SMS → \\${phone}\\] (\\d{6}) is your`).exec(gateway.output().slice(since))?.[1]), 10_000, "the code");
    await page.getByLabel("Code").fill(code!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/console/board`);
  }

  const focusedQuestion = (page: Page) => page.evaluate<string | null>(`document.querySelector("fieldset.question.focused")?.dataset.question ?? null`);
  const checked = (page: Page) =>
    page.evaluate<Record<string, string | null>>(
      `Object.fromEntries(${JSON.stringify(QUESTIONS)}.map((q) => [q, document.querySelector('input[name="' + q + '"]:checked')?.value ?? null]))`,
    );

  test("the manager reviews five handoffs with the keyboard, and GET /api/qa has the five reviews with her answers", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    page.on("dialog", (d) => (errors.push(`dialog: ${d.message()}`), void d.dismiss())); // a caller's markup that ran
    page.on("console", (msg) => msg.type() === "error" && !msg.text().startsWith("Failed to load resource") && errors.push(msg.text()));
    page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && errors.push(`${r.status()} ${r.url()}`));
    await signIn(page, MIA);
    await page.getByRole("link", { name: "QA review" }).click();
    await page.getByRole("heading", { name: /QA review · Acme/ }).waitFor();

    const given = new Map<number, { answers: Record<string, Answer>; note: string | null }>();
    for (let i = 0; i < 5; i++) {
      await page.locator("#qa-progress").getByText(`${i} of 5 reviewed`).waitFor();
      const heading = await page.locator("#h-qa-lead").textContent();
      const code = Number(/Lead #(\d+)/.exec(heading ?? "")?.[1]);
      expect(code, heading ?? "").toBeGreaterThan(0);
      expect(given.has(code)).toBe(false); // the next handoff, never one already reviewed
      expect(await focusedQuestion(page)).toBe("ownerCorrect");
      const plan = PLANNED[i]!;
      await page.keyboard.press(KEY[plan[0]!]);
      expect(await focusedQuestion(page)).toBe("notesSufficient");
      // j and k (and the arrows) move between questions without answering.
      await page.keyboard.press("j");
      expect(await focusedQuestion(page)).toBe("waitedTooLong");
      await page.keyboard.press("ArrowUp");
      expect(await focusedQuestion(page)).toBe("notesSufficient");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("k");
      for (const a of plan.slice(1)) await page.keyboard.press(KEY[a]);
      const answers = Object.fromEntries(QUESTIONS.map((q, n) => [q, plan[n]!])) as Record<string, Answer>;
      expect(await checked(page)).toEqual(answers);
      let note: string | null = null;
      if (i === 1) {
        // Typing in the note answers nothing and submits nothing: y, n, u, j, k and Enter are text there.
        note = "Customer said y and n\nunsure about the gate";
        await page.getByLabel("Note").click();
        await page.keyboard.type("Customer said y and n");
        await page.keyboard.press("Enter");
        await page.keyboard.type("unsure about the gate");
        expect(await checked(page)).toEqual(answers);
        expect(await page.getByLabel("Note").inputValue()).toBe(note);
        expect(page.url()).toContain("/console/qa");
        await page.keyboard.press("Shift+Tab"); // back onto the last question's answer
      }
      if (i === 0) await page.screenshot({ path: join(SHOTS, "qa.png"), fullPage: false });
      given.set(code, { answers, note });
      await Promise.all([page.waitForURL(/done=/), page.keyboard.press("Enter")]);
      await page.getByText("Saved: review stored.").waitFor();
    }
    await page.getByText("5 of 5 reviewed").waitFor();
    await page.getByText("You have reviewed all 5 handoffs of the sample.").waitFor();

    const qa = await api("GET", "/api/qa?business=acme");
    expect(qa.status).toBe(200);
    expect(qa.body.items).toHaveLength(5);
    expect(qa.body.reviewed).toBe(5);
    const stored = new Map<number, unknown>(qa.body.items.map((item: any) => [item.lead.code, item.reviews]));
    expect([...stored.keys()].sort()).toEqual([...given.keys()].sort());
    for (const [code, g] of given) {
      expect(stored.get(code), `lead ${code}`).toEqual([
        { week: qa.body.week, reviewer: "mia", answers: g.answers, note: g.note, reviewedAt: expect.any(String) },
      ]);
    }
    // The urgent and the missed-call handoffs are in the sample (priority first).
    expect(given.has(codes[0]!) && given.has(codes[1]!)).toBe(true);

    // The metrics page: its SVG charts render (no CSP refusal), with the API's headline numbers.
    const metrics = await api("GET", "/api/metrics?business=acme");
    await page.getByRole("link", { name: "Metrics" }).click();
    await page.getByRole("heading", { name: /Speed to lead/ }).waitFor();
    expect(await page.locator("#chart-tta svg rect").count()).toBe(metrics.body.timeToAcceptDistribution.length);
    expect(await page.locator("[data-figure=within-pct]").textContent()).toBe(`${metrics.body.acceptedWithinWindowPct}%`);
    await page.screenshot({ path: join(SHOTS, "metrics.png"), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toBe("metrics-acme.csv");
    await page.getByRole("link", { name: "Deliveries" }).click();
    await page.getByRole("heading", { name: /Event deliveries/ }).waitFor();
    // Every lead.created went to the receiver, which answered 500: the page says so, and Retry sends one again.
    let log: any[] = [];
    await waitFor(async () => {
      log = (await api("GET", "/api/deliveries?business=acme")).body.deliveries;
      return log.length === 6 && log.every((d) => d.lastStatus === 500);
    }, 10_000, "six deliveries, each answered 500", 200);
    const first = log[0];
    await page.reload();
    const row = page.locator(`tr[data-delivery="${first.id}"]`);
    expect(await row.textContent()).toContain("answered 500");
    expect(await row.textContent()).toContain("lead.created");
    await page.screenshot({ path: join(SHOTS, "deliveries.png"), fullPage: false });
    const before = attempts.get(first.id) ?? 0;
    expect(before).toBeGreaterThan(0);
    await Promise.all([page.waitForURL(/done=/), row.getByRole("button", { name: "Retry" }).click()]);
    await page.getByText("Done: retry queued.").waitFor();
    await waitFor(async () => (attempts.get(first.id) ?? 0) > before, 10_000, "the retried attempt at the receiver");
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
