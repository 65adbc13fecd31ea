import type { TestApp } from "./test-app.ts";
import { ADMIN_TOKEN } from "./test-app.ts";

/** The origin the test app serves (its PUBLIC_URL): what a browser on the console's pages sends as Origin. */
export const CONSOLE_ORIGIN = "https://gateway.example.com";

export interface ConsoleResponse {
  status: number;
  text: string;
  headers: Headers;
}

/**
 * A browser stand-in for the console over `app.request`: keeps cookies, sends the Origin a page
 * of ours would, and fills `_csrf` from the last page it read (unless the form gives one).
 */
let clients = 0;

export class ConsoleClient {
  cookies = new Map<string, string>();
  csrf = "";
  /** Each client is its own address, as the per-address limit on codes sees it. */
  readonly ip = `198.51.100.${(++clients % 250) + 1}`;
  constructor(readonly t: TestApp) {}

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, value] = pair!.split("=") as [string, string];
      if (/Max-Age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private async read(res: Response): Promise<ConsoleResponse> {
    this.remember(res);
    const text = await res.text();
    const token = /name="_csrf" value="([0-9a-f]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, text, headers: res.headers };
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<ConsoleResponse> {
    return this.read(await this.t.app.request(path, { headers: { cookie: this.cookieHeader(), "cf-connecting-ip": this.ip, ...headers } }));
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<ConsoleResponse> {
    const body = new URLSearchParams({ _csrf: this.csrf, ...form });
    // A header given as "" is left out (a request without Origin, say).
    const all = { cookie: this.cookieHeader(), "cf-connecting-ip": this.ip, origin: CONSOLE_ORIGIN, "content-type": "application/x-www-form-urlencoded", ...headers };
    const res = await this.t.app.request(path, {
      method: "POST",
      headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== "")),
      body: body.toString(),
    });
    return this.read(res);
  }

  /** The last sign-in code the dry-run messaging printed for `phone`. */
  lastCode(phone: string): string {
    const line = [...this.t.printed].reverse().find((l) => l.includes(`→ ${phone}]`) && /console code/.test(l));
    const code = line && /\] (\d{6}) is your/.exec(line)?.[1];
    if (!code) throw new Error(`no sign-in code was printed for ${phone}`);
    return code;
  }

  /** Signs in as the team member with `phone` through the SMS code, as a person would. */
  async signIn(phone: string): Promise<ConsoleResponse> {
    await this.get("/console");
    const sent = await this.post("/console/sign-in/code", { phone });
    if (sent.status !== 200) throw new Error(`asking for a code failed: ${sent.status}`);
    await this.t.settle();
    const done = await this.post("/console/sign-in/verify", { phone, code: this.lastCode(phone) });
    if (done.status !== 303) throw new Error(`sign-in failed: ${done.status} ${done.text.slice(0, 300)}`);
    return this.get("/console/board");
  }

  async signInOperator(token = ADMIN_TOKEN): Promise<ConsoleResponse> {
    await this.get("/console");
    const done = await this.post("/console/sign-in/operator", { token });
    if (done.status !== 303) throw new Error(`operator sign-in failed: ${done.status}`);
    return this.get("/console/board");
  }
}
