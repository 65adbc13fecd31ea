/** Where the console lives in the app, and its two static files. */
export const CONSOLE_BASE = "/console";
export const CSS_PATH = `${CONSOLE_BASE}/assets/console.css`;
/** htmx 2.x, vendored (vendor/htmx/); on Workers a static asset, on Node read by runtime/console-script.ts. */
export const HTMX_PATH = `${CONSOLE_BASE}/assets/htmx.min.js`;
/** The href of a lead's page: by business and code, as texts show it. */
export const leadHref = (slug: string, code: number) => `${CONSOLE_BASE}/leads/${encodeURIComponent(`${slug}:${code}`)}`;
/** The QA review page's keyboard shortcuts (a file of this origin: the CSP allows no inline script). */
export const QA_KEYS_PATH = `${CONSOLE_BASE}/assets/qa-keys.js`;
