import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium; .ci/run installs it (apt-get install chromium). Playwright's own download needs the internet. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Headless Chromium as the machine allows it: no sandbox (root), no GPU, and none of the
 * background connections to Google's hosts that a closed network refuses.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`apt-get install -y chromium\` (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
}
