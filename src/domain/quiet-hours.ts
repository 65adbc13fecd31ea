import { afterQuietHours, isQuietHours, type BusinessTimeConfig } from "./business-time.ts";

/**
 * When an automated text to a customer may go out (CONTRACT §9): at once, unless the business's
 * quiet hours are on, in which case it waits until they end, in the business's zone. A reply to
 * the customer's own contact (a missed-call text-back, an answer to their text) within
 * REPLY_WINDOW_MS of it is the exception: they just reached out and expect an answer.
 * Team members' texts are never held: urgent work cannot wait for morning.
 */

/** How recent the customer's own contact must be for a reply to go out during quiet hours. */
export const REPLY_WINDOW_MS = 15 * 60_000;

/**
 * The instant a customer text queued at `now` may be sent: null for now, or the end of the quiet
 * hours. `lastContactAt` is when the customer last called or texted (null if they never did).
 */
export function customerTextSendAt(config: BusinessTimeConfig, now: Date, lastContactAt: Date | null): Date | null {
  if (lastContactAt && now.getTime() - lastContactAt.getTime() <= REPLY_WINDOW_MS) return null;
  return isQuietHours(config, now) ? afterQuietHours(config, now) : null;
}
