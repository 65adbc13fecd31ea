import { boardPage } from "./board.ts";
import { configPage, reviewPage, teamPage } from "./business-pages.ts";
import { deliveriesConsolePage } from "./deliveries.ts";
import { metricsPage } from "./metrics.ts";
import { qaPage } from "./qa.ts";
import type { ConsolePage } from "../console-env.ts";

/**
 * Every page of the console's navigation, in its order. Adding a page is a `ConsolePage` (its
 * path under /console, label, whether only the office sees it, and its render) and one entry here;
 * routes.ts mounts it behind the session and the layout shows it in the nav.
 */
export const PAGES: ConsolePage[] = [boardPage, reviewPage, qaPage, metricsPage, teamPage, configPage, deliveriesConsolePage];
