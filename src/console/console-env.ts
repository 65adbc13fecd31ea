import type { Context } from "hono";
import type { HtmlEscapedString } from "hono/utils/html";
import type { AppEnv } from "../http/http.ts";
import type { Viewer } from "./sessions.ts";

/** An entry of the console's navigation (pages/index.ts lists them). */
export interface NavItem {
  path: string;
  label: string;
  /** Only for those who see the whole business (manager, office lead, dispatch, intake, operator). */
  wholeBusiness: boolean;
}

/** The console's Hono environment: the app's, plus who is signed in and the navigation. */
export type ConsoleEnv = { Variables: AppEnv["Variables"] & { viewer: Viewer; nav: NavItem[] } };
export type ConsoleContext = Context<ConsoleEnv>;

/** What a page template returns (hono/html: every interpolated value is escaped). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** A page of the console: a nav entry and its GET handler. pages/index.ts lists every page. */
export interface ConsolePage extends NavItem {
  render(c: ConsoleContext): Promise<Response>;
}
