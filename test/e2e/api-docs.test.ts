import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { chromiumOrSay, launchChromium } from "../helpers/browser.ts";
import { startGateway, type GatewayProcess } from "../helpers/gateway-process.ts";

// The API reference page of a real running gateway (npm start's process), in headless Chromium:
// it renders the operations from /api/openapi.json, and everything it loads comes from the
// gateway itself (operators run this on private networks: no CDN, fonts, proxy or telemetry).

const hasChromium = chromiumOrSay("API reference browser test");

describe.skipIf(!hasChromium)("the API reference page in Chromium", () => {
  const SCREENSHOT = join("test-results", "api-docs.png");
  let gateway: GatewayProcess;
  let base: string;
  let browser: Browser;
  const dataDir = mkdtempSync(join(tmpdir(), "handoff-docs-"));

  beforeAll(async () => {
    gateway = startGateway({ DATA_DIR: dataDir });
    base = await gateway.ready;
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    gateway?.child.kill("SIGTERM");
    await gateway?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("/api/docs renders the document's operations and tags in Chromium, loading nothing from any other host", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requested: string[] = [];
    page.on("request", (req) => requested.push(req.url()));
    const failures: string[] = [];
    page.on("pageerror", (err) => failures.push(err.message));

    const res = await page.goto(`${base}/api/docs`);
    expect(res?.status()).toBe(200);
    // Scalar renders the document's operations from /api/openapi.json: their summaries appear.
    await page.getByText("Manual intake").first().waitFor({ timeout: 30_000 });
    for (const tag of ["Leads", "Messages", "Businesses", "Reviews"]) await page.getByText(tag, { exact: true }).first().waitFor();
    expect(await page.title()).toBe("Handoff gateway API");

    const origin = new URL(base).origin;
    const foreign = requested.filter((url) => !url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:"));
    expect(foreign).toEqual([]);
    expect(requested).toEqual(expect.arrayContaining([`${origin}/api/docs/scalar.js`, `${origin}/api/openapi.json`]));
    expect(failures).toEqual([]);
    // None of the vendor's buttons that would send the document to its hosts.
    for (const offer of ["Share", "Deploy", "Open in API Client"]) expect(await page.getByText(offer, { exact: true }).count()).toBe(0);

    mkdirSync("test-results", { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: false });
    // A rendered page, not a blank one: a white 1280×900 PNG compresses to a few KiB.
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(30_000);
  }, 90_000);
});
