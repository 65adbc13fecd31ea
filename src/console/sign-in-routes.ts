import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import { timingSafeEqual } from "../adapters/inbound/crypto.ts";
import type { AppEnv } from "../http/http.ts";
import { checkForm, clientIp, cookieOptions, SESSION_COOKIE, SIGN_IN_COOKIE } from "./guard.ts";
import { document } from "./layout.ts";
import { CONSOLE_BASE } from "./paths.ts";
import { createSession, endSession, viewerOf } from "./sessions.ts";
import { checkCode, CODE_MINUTES, mayTryOperator, recordOperatorFailure, requestCode } from "./sign-in.ts";
import type { Html } from "./console-env.ts";

const BOARD = `${CONSOLE_BASE}/board`;

function randomToken(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The sign-in forms' CSRF token: the cookie's, set here when the browser has none yet. */
function signInToken(c: Context<AppEnv>): string {
  const existing = getCookie(c, SIGN_IN_COOKIE);
  if (existing && /^[0-9a-f]{48}$/.test(existing)) return existing;
  const token = randomToken();
  setCookie(c, SIGN_IN_COOKIE, token, cookieOptions(c));
  return token;
}

function signInPage(c: Context<AppEnv>, body: Html, status: 200 | 400 | 401 | 429 = 200) {
  return c.html(document("Sign in", html`<main id="main" class="signin"><h1>Handoff console</h1>${body}</main>`), status);
}

const phoneForm = (csrf: string, error?: string) => html`
  ${error ? html`<p class="error" role="alert">${error}</p>` : ""}
  <section class="panel">
    <h2>Team member</h2>
    <form method="post" action="${CONSOLE_BASE}/sign-in/code">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <label for="phone">Your phone number</label>
      <input id="phone" name="phone" type="tel" autocomplete="tel" required maxlength="40" autofocus />
      <button type="submit">Text me a code</button>
    </form>
  </section>
  <section class="panel">
    <h2>Operator</h2>
    <form method="post" action="${CONSOLE_BASE}/sign-in/operator">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <label for="token">ADMIN_TOKEN</label>
      <input id="token" name="token" type="password" autocomplete="current-password" required maxlength="400" />
      <button type="submit" class="secondary">Sign in as operator</button>
    </form>
  </section>`;

const codeForm = (csrf: string, phone: string, error?: string) => html`
  ${error ? html`<p class="error" role="alert">${error}</p>` : html`<p class="notice" role="status">If ${phone} is on a team, a 6-digit code is on its way by text. It works for ${CODE_MINUTES} minutes.</p>`}
  <section class="panel">
    <form method="post" action="${CONSOLE_BASE}/sign-in/verify">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <input type="hidden" name="phone" value="${phone}" />
      <label for="code">Code</label>
      <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required autofocus />
      <button type="submit">Sign in</button>
    </form>
    <p><a href="${CONSOLE_BASE}">Use another number</a></p>
  </section>`;

/** GET /console and the sign-in and sign-out forms (CONTRACT §11). */
export function signInRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    if (await viewerOf(c.var.deps, getCookie(c, SESSION_COOKIE))) return c.redirect(BOARD, 303);
    return signInPage(c, phoneForm(signInToken(c)));
  });

  app.post("/sign-in/code", async (c) => {
    const form = await checkForm(c, getCookie(c, SIGN_IN_COOKIE));
    const csrf = signInToken(c);
    const result = await requestCode(c.var.deps, form.phone ?? "", clientIp(c));
    if (result.kind === "invalid") return signInPage(c, phoneForm(csrf, "That is not a phone number; type it with its area code."), 400);
    if (result.kind === "rate-limited") return signInPage(c, phoneForm(csrf, "Too many codes were asked for; wait 15 minutes and try again."), 429);
    return signInPage(c, codeForm(csrf, result.phone));
  });

  app.post("/sign-in/verify", async (c) => {
    const form = await checkForm(c, getCookie(c, SIGN_IN_COOKIE));
    const csrf = signInToken(c);
    const phone = (form.phone ?? "").slice(0, 40);
    const result = await checkCode(c.var.deps, phone, form.code ?? "");
    if (result.kind === "invalid") return signInPage(c, codeForm(csrf, phone, "Type the 6 digits of the code."), 400);
    if (result.kind === "expired") return signInPage(c, phoneForm(csrf, "That code has expired or was tried too often; ask for a new one."), 401);
    if (result.kind === "wrong") return signInPage(c, codeForm(csrf, phone, `That code is wrong; ${result.triesLeft} ${result.triesLeft === 1 ? "try" : "tries"} left.`), 401);
    const { business, member } = result.membership;
    const token = await createSession(c.var.deps, { businessId: business.id, memberId: member.id });
    setCookie(c, SESSION_COOKIE, token, cookieOptions(c));
    deleteCookie(c, SIGN_IN_COOKIE, { path: CONSOLE_BASE });
    return c.redirect(BOARD, 303);
  });

  app.post("/sign-in/operator", async (c) => {
    const form = await checkForm(c, getCookie(c, SIGN_IN_COOKIE));
    const adminToken = c.var.deps.settings.adminToken;
    const ip = clientIp(c);
    if (!(await mayTryOperator(c.var.deps, ip))) return signInPage(c, phoneForm(signInToken(c), "Too many sign-in attempts; wait 15 minutes and try again."), 429);
    if (!adminToken || !form.token || !(await timingSafeEqual(form.token, adminToken))) {
      await recordOperatorFailure(c.var.deps, ip);
      return signInPage(c, phoneForm(signInToken(c), "That is not the admin token."), 401);
    }
    const token = await createSession(c.var.deps, { operator: true });
    setCookie(c, SESSION_COOKIE, token, cookieOptions(c));
    deleteCookie(c, SIGN_IN_COOKIE, { path: CONSOLE_BASE });
    return c.redirect(BOARD, 303);
  });

  app.post("/sign-out", async (c) => {
    const viewer = await viewerOf(c.var.deps, getCookie(c, SESSION_COOKIE));
    if (viewer) {
      await checkForm(c, viewer.csrf);
      await endSession(c.var.deps, viewer.sessionId);
    }
    deleteCookie(c, SESSION_COOKIE, { path: CONSOLE_BASE });
    return c.redirect(CONSOLE_BASE, 303);
  });

  return app;
}
