import type { Context } from "hono";
import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { HttpError } from "../http/error-response.ts";
import { document } from "./layout.ts";
import { CONSOLE_BASE } from "./paths.ts";

/** A refusal on a console page, as a page (the API's answer is JSON; a browser reads this). */
export function consoleErrorPage(c: Context, error: HttpError, requestId: string): Response | Promise<Response> {
  const details = Array.isArray(error.details) ? (error.details as { path?: string; message?: string }[]) : [];
  return c.html(
    document(
      "Refused",
      html`<main id="main" class="signin">
        <h1>${error.status === 404 ? "Not found" : error.status === 401 ? "Signed out" : "Refused"}</h1>
        <p class="error" role="alert" data-code="${error.code}">${error.message}</p>
        ${details.length ? html`<ul>${details.map((d) => html`<li>${d.path ? `${d.path}: ` : ""}${d.message ?? ""}</li>`)}</ul>` : ""}
        <p><a href="${CONSOLE_BASE}/board">Back to the board</a> · <a href="${CONSOLE_BASE}">Sign in</a></p>
        <p class="muted">Request ${requestId}</p>
      </main>`,
    ),
    error.status as ContentfulStatusCode,
  );
}
