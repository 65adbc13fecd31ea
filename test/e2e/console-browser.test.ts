import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { chromiumOrSay, launchChromium } from "../helpers/browser.ts";
import { startGateway, type GatewayProcess } from "../helpers/gateway-process.ts";
import { fixture, signedHeaders } from "../helpers/sign-fixture.ts";
import { waitFor } from "../helpers/wait-for.ts";

// The console (CONTRACT §11) of a real gateway process (npm start's), in headless Chromium: the
// demo dispatcher signs in by the code the dry-run prints, sees a Vapi call's lead appear on the
// board without a reload, accepts it, notes and closes it; a member without an office role sees
// only their own leads; a form posted from another site is refused; a phone-sized screen works.
// Screenshots of the main pages go to test-results/console/; with CONSOLE_SCREENSHOTS=docs/console
// they replace the ones docs/console.md shows (so an ordinary run leaves the tree clean).

const hasChromium = chromiumOrSay("console browser tests");

const SHOTS = process.env.CONSOLE_SCREENSHOTS || join("test-results", "console");
const TOKEN = `console-e2e-${crypto.randomUUID()}`;
const DANA = "+15125550111";
const SAM = "+15125550114";

describe.skipIf(!hasChromium)("the console in Chromium", () => {
  let gateway: GatewayProcess;
  let base: string;
  let browser: Browser;
  let dana: BrowserContext;
  let leadPath = "";
  const dataDir = mkdtempSync(join(tmpdir(), "handoff-console-"));
  const api = async (path: string) => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as Promise<any>;

  beforeAll(async () => {
    gateway = startGateway({ DATA_DIR: dataDir, ADMIN_TOKEN: TOKEN, DATABASE_URL: "" });
    base = await gateway.ready;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    gateway?.child.kill("SIGTERM");
    await gateway?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The code the dry-run printed for `phone` after `since` characters of output. */
  const codeFor = async (phone: string, since: number) => {
    let code: string | undefined;
    await waitFor(
      async () => (code = new RegExp(`\\[dry-run SMS → \\${phone}\\] (\\d{6}) is your`).exec(gateway.output().slice(since))?.[1]),
      10_000,
      `the sign-in code for ${phone}`,
    );
    return code!;
  };

  async function signIn(page: Page, phone: string, typed = phone) {
    await page.goto(`${base}/console`);
    await page.getByLabel("Your phone number").fill(typed);
    const since = gateway.output().length;
    await page.getByRole("button", { name: "Text me a code" }).click();
    await page.getByLabel("Code").waitFor();
    await page.getByLabel("Code").fill(await codeFor(phone, since));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/console/board`);
  }

  test("the dispatcher signs in by text, a webhook's lead appears on the board without a reload, and she takes it to closed", async () => {
    expect(gateway.output()).toContain(`console: ${base}/console`);
    dana = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await dana.newPage();
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    // A CSP violation or script error shows as a console error; a failed load is checked by its response.
    page.on("console", (msg) => msg.type() === "error" && !msg.text().startsWith("Failed to load resource") && errors.push(msg.text()));
    page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && errors.push(`${r.status()} ${r.url()}`));
    await page.goto(`${base}/console`);
    await page.screenshot({ path: join(SHOTS, "sign-in.png") });
    await signIn(page, DANA, "(512) 555-0111");
    await page.getByRole("heading", { name: /Board/ }).waitFor();

    let navigations = 0;
    page.on("framenavigated", (frame) => frame === page.mainFrame() && navigations++);
    const body = fixture("vapi/complete-call");
    const res = await fetch(`${base}/webhooks/acme/vapi`, { method: "POST", body, headers: await signedHeaders("vapi", body, new Date()) });
    expect(res.status).toBe(200);
    const card = page.locator('.column[data-state="offered"] .card', { hasText: "Maria Gonzalez" });
    await card.waitFor({ timeout: 20_000 });
    expect(navigations).toBe(0); // htmx swapped it in; the page never reloaded
    // Keyboard: focus on a card survives the next refresh.
    await card.focus();
    const focused = `document.activeElement.classList.contains("card") ? document.activeElement.textContent : "(focus lost)"`;
    expect(await page.evaluate<string>(focused)).toContain("Maria Gonzalez");
    await page.waitForResponse((r) => r.url().includes("/console/board/columns"));
    await page.waitForTimeout(200);
    expect(await page.evaluate<string>(focused)).toContain("Maria Gonzalez");
    await page.screenshot({ path: join(SHOTS, "board.png") });

    await card.click();
    await page.getByRole("heading", { name: /Lead #\d+ · Maria Gonzalez/ }).waitFor();
    leadPath = new URL(page.url()).pathname;
    await page.getByRole("button", { name: "Accept" }).click();
    await page.getByText("Done: accepted.").waitFor();
    await page.getByLabel("Note", { exact: true }).fill("Gate code 4411; dog in the yard");
    await page.getByRole("button", { name: "Add note" }).click();
    await page.getByText("Done: note added.").waitFor();
    await page.screenshot({ path: join(SHOTS, "lead.png"), fullPage: true });
    await page.getByLabel("Outcome").selectOption("booked");
    await page.getByRole("button", { name: "Close" }).click();
    await page.getByText("Done: closed.").waitFor();

    const ref = decodeURIComponent(leadPath.split("/").pop()!);
    const lead = await api(`/api/leads/${ref}`);
    expect(lead).toMatchObject({ state: "closed", outcome: "booked", ownerId: "dana", notes: [{ by: "dana", text: "Gate code 4411; dog in the yard" }] });
    await page.goto(`${base}/console/board`);
    await page.locator('.column[data-state="closed"] .card', { hasText: "Maria Gonzalez" }).waitFor();

    // A second config version, so the config page has a diff to show.
    const current = await api("/api/businesses/acme");
    current.config.escalation.standard.acceptWithin = "20m";
    const applied = await fetch(`${base}/api/businesses/acme`, {
      method: "PUT", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(current.config),
    });
    expect(applied.status).toBe(200);
    for (const [path, name] of [["/console/review", "review"], ["/console/team", "team"], ["/console/config", "config"]] as const) {
      const shown = await page.goto(`${base}${path}`);
      expect(shown?.status(), path).toBe(200);
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
    }
    expect(await page.locator(".diff .add").allTextContents()).toEqual([`+       "acceptWithin": "20m"`]);
    expect(errors).toEqual([]); // no CSP violation, no script error
  }, 120_000);

  test("a member without an office role sees only their own leads, and cannot open another's by URL", async () => {
    expect(leadPath).not.toBe("");
    const sam = await browser.newContext();
    const page = await sam.newPage();
    await signIn(page, SAM);
    expect(await page.locator(".card", { hasText: "Maria Gonzalez" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "End of day" }).count()).toBe(0);
    const opened = await page.goto(`${base}${leadPath}`);
    expect(opened?.status()).toBe(404);
    const review = await page.goto(`${base}/console/review`);
    expect(review?.status()).toBe(403);
    await sam.close();
  }, 60_000);

  test("a form posted from another site, or without the page's token, is refused and changes nothing", async () => {
    expect(leadPath).not.toBe("");
    const notes = `${base}${leadPath}/notes`;
    const evil: Server = createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end(`<form method="post" action="${notes}"><input name="_csrf" value="forged"><input name="text" value="forged by evil"></form><script>document.forms[0].submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    try {
      const page = await dana.newPage();
      const answer = page.waitForResponse((r) => r.url() === notes);
      // Another port of the same host is the same site: the Lax cookie goes along, and only the
      // Origin check and the token stop the post.
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      expect((await answer).status()).toBe(403);
      await page.getByText("sent from another site").waitFor();

      // Same origin, the session's cookie, but no token from the page.
      const tokenless = await dana.request.post(notes, { form: { text: "forged without a token" }, headers: { origin: base } });
      expect(tokenless.status()).toBe(403);
    } finally {
      evil.close();
    }
    const lead = await api(`/api/leads/${decodeURIComponent(leadPath.split("/").pop()!)}`);
    expect(lead.notes.map((n: { text: string }) => n.text)).toEqual(["Gate code 4411; dog in the yard"]);
  }, 60_000);

  test("on a phone-sized screen the board is one column and nothing scrolls sideways", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, storageState: await dana.storageState() });
    const page = await phone.newPage();
    await page.goto(`${base}/console/board`);
    const columns = await page.evaluate<number>(`getComputedStyle(document.getElementById("columns")).gridTemplateColumns.split(" ").length`);
    expect(columns).toBe(1);
    // How far the page, or any panel or card on it, reaches past the screen's right edge.
    const sideways = `Math.max(document.documentElement.scrollWidth - window.innerWidth,
      ...[...document.querySelectorAll(".panel, .card, .column, table")].map((el) => el.getBoundingClientRect().right - window.innerWidth))`;
    const overflow = await page.evaluate<number>(sideways);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, "board-phone.png"), fullPage: false });
    const lead = await page.goto(`${base}${leadPath}`);
    expect(lead?.status()).toBe(200);
    expect(await page.evaluate<number>(sideways)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, "lead-phone.png"), fullPage: false });
    await phone.close();
  }, 60_000);
});
