import postgres from "postgres";
import { fixture, signedHeaders } from "./sign-fixture.ts";
import { TEST_DATABASE_URL } from "./pg-database.ts";

/**
 * Tools for fault tests on real PostgreSQL: end the backends of one test database from outside
 * (as a failover, a restart or an operator would), and send distinct signed intake webhooks.
 */

/** An admin connection to `adminUrl`'s database (TEST_DATABASE_URL's by default), which the terminations never touch. */
export function backendKiller(databaseName: string, adminUrl = TEST_DATABASE_URL!) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  return {
    /** Ends every backend connected to `databaseName` (only that one: other suites share the server); how many. */
    async terminateAll(): Promise<number> {
      if (!databaseName.startsWith("handoff_t_")) throw new Error(`refusing to end backends of ${databaseName}: not a test database`);
      // pg_terminate_backend stays in the select list: there it runs only on rows the WHERE kept.
      // As a WHERE condition the planner may evaluate it before the datname filter (a join) and
      // end every backend on the server.
      const rows = await admin<{ ended: boolean }[]>`
        SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE datname = ${databaseName} AND pid <> pg_backend_pid()`;
      return rows.filter((r) => r.ended).length;
    },
    close: () => admin.end({ timeout: 5 }),
  };
}

/** The database name in a connection URL. */
export const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

/** A complete web-form intake for a caller of its own (phone +1 737 200 nnnn): one lead each. */
export function distinctIntake(n: number): { externalId: string; phone: string; body: string } {
  const payload = JSON.parse(fixture("intake/web-form-complete"));
  const phone = `+1737200${String(n).padStart(4, "0")}`;
  const externalId = `fault-${n}`;
  payload.externalId = externalId;
  payload.fields.phone = phone;
  payload.fields.fullName = `Caller ${n}`;
  payload.fields.promisedNextStep = "Call back to book a visit";
  return { externalId, phone, body: JSON.stringify(payload) };
}

/** What one POST got back: a status, or the network error when nothing answered. */
export type Answer = { status: number; body: string } | { status: "refused"; error: string };

/** Posts a signed intake webhook to the demo business. */
export async function postIntake(base: string, body: string): Promise<Answer> {
  try {
    const res = await fetch(`${base}/webhooks/acme/intake`, { method: "POST", body, headers: await signedHeaders("intake", body, new Date()) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: "refused", error: String((err as Error).cause ?? err) };
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
