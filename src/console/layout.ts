import { html } from "hono/html";
import { CONSOLE_BASE, CSS_PATH, HTMX_PATH } from "./paths.ts";
import type { ConsoleContext, Html } from "./console-env.ts";

/** htmx configured for the CSP: no inline indicator styles, no eval, no script tags in swaps. */
const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false });

/** The document around every page: head, the nav a viewer may use, who is signed in, sign-out. */
export function page(c: ConsoleContext, title: string, body: Html, status: 200 | 400 | 403 | 404 | 409 = 200): Response | Promise<Response> {
  const viewer = c.var.viewer;
  const whole = viewer.scope.kind !== "member";
  const here = c.req.path;
  const nav = c.var.nav.filter((item) => whole || !item.wholeBusiness);
  const who = viewer.operator ? "Operator (every business)" : `${viewer.member!.name} · ${viewer.business!.config.name}`;
  return c.html(
    document(
      title,
      html`<header>
          <a class="skip" href="#main">Skip to content</a>
          <nav aria-label="Console">
            ${nav.map((item) => html`<a href="${item.path}" ${here === item.path ? html`aria-current="page"` : ""}>${item.label}</a> `)}
          </nav>
          <span class="who">${who}</span>
          <form method="post" action="${CONSOLE_BASE}/sign-out">
            <input type="hidden" name="_csrf" value="${viewer.csrf}" />
            <button type="submit">Sign out</button>
          </form>
        </header>
        <main id="main">${body}</main>`,
    ),
    status,
  );
}

/** A whole HTML document; `body` is already-escaped markup. */
export function document(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="htmx-config" content="${HTMX_CONFIG}" />
    <title>${title} · Handoff console</title>
    <link rel="stylesheet" href="${CSS_PATH}" />
    <script src="${HTMX_PATH}" defer></script>
  </head>
  <body>
    ${body}
  </body>
</html>`;
}
