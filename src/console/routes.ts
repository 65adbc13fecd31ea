import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../http/http.ts";
import { requireViewer, storableQuery } from "./guard.ts";
import { leadAction, visibleLeadId } from "./lead-forms.ts";
import { boardColumns, boardMore } from "./pages/board.ts";
import { PAGES } from "./pages/index.ts";
import { renderLead } from "./pages/lead.ts";
import { deliveryRetry } from "./pages/deliveries.ts";
import { metricsCsvDownload } from "./pages/metrics.ts";
import { qaReview } from "./pages/qa.ts";
import { CONSOLE_BASE, CSS_PATH, HTMX_PATH, QA_KEYS_PATH } from "./paths.ts";
import { QA_KEYS_SCRIPT } from "./qa-keys-script.ts";
import { signInRoutes } from "./sign-in-routes.ts";
import { CONSOLE_CSS } from "./styles.ts";
import type { ConsoleEnv } from "./console-env.ts";

/** Serves htmx on Node (runtime/console-script.ts); on Workers the static assets answer its path first. */
export type ConsoleScript = () => Promise<Response>;

/**
 * The console (CONTRACT §11), mounted at /console: server-rendered pages of the same app, with
 * htmx for the board's refresh. Secure headers and a CSP allowing only this origin on every answer.
 */
export function consoleRoutes(script?: ConsoleScript) {
  const app = new Hono<AppEnv>();
  app.use(
    `${CONSOLE_BASE}/*`,
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: "same-origin",
    }),
  );
  app.use(`${CONSOLE_BASE}/*`, storableQuery());
  app.get(CSS_PATH, (c) => c.body(CONSOLE_CSS, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=3600" }));
  app.get(QA_KEYS_PATH, (c) => c.body(QA_KEYS_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" }));
  if (script) app.get(HTMX_PATH, () => script());
  app.route(CONSOLE_BASE, signInRoutes());

  const signedIn = new Hono<ConsoleEnv>();
  signedIn.use(async (c, next) => {
    c.set("nav", PAGES.map(({ path, label, wholeBusiness }) => ({ path, label, wholeBusiness })));
    await next();
  });
  signedIn.use(requireViewer());
  for (const p of PAGES) signedIn.get(p.path.slice(CONSOLE_BASE.length), (c) => p.render(c));
  signedIn.get("/board/columns", boardColumns);
  signedIn.get("/board/more", boardMore);
  signedIn.get("/leads/:ref", async (c) => renderLead(c, await visibleLeadId(c, c.req.param("ref"))));
  signedIn.post("/leads/:ref/:action", leadAction);
  signedIn.post("/qa/:leadId", qaReview);
  signedIn.get("/metrics.csv", metricsCsvDownload);
  signedIn.post("/deliveries/:id/retry", deliveryRetry);
  app.route(CONSOLE_BASE, signedIn as unknown as Hono<AppEnv>);
  return app;
}
