import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium; .ci/run installs it (apt-get install chromium). Playwright's own download needs the internet. */
export const CHROMIUM = "/usr/bin/chromium";

/** The install command a machine without Chromium is told. */
export const INSTALL_CHROMIUM = "apt-get install -y chromium";

/**
 * Whether the browser suites can run here. Without Chromium they are skipped and say so in one
 * line with the install command, so the rest of `npm test` still runs (.ci/run always installs it).
 */
export function chromiumOrSay(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  console.warn(`${suite}: skipped, ${CHROMIUM} is missing; install it with \`${INSTALL_CHROMIUM}\` (.ci/run does)`);
  return false;
}

/**
 * Headless Chromium as the machine allows it: no sandbox (root), no GPU, and none of the
 * background connections to Google's hosts that a closed network refuses.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`${INSTALL_CHROMIUM}\` (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
}
