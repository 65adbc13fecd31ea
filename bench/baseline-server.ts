/**
 * The floor the gateway is measured against (bench/intake.ts starts it): the least a correct
 * webhook receiver can do for `POST /webhooks/acme/intake` — check the Bearer token, read the
 * raw body, store it once under its idempotency key, answer 200. No business lookup, no zod, no
 * background work. Same PostgreSQL database and the same pool size as the gateway.
 *
 *   DATABASE_URL=postgres://… BASELINE_SECRET=… node --import tsx bench/baseline-server.ts
 *
 * Reads process.env itself: it is a bench entry point, not part of the gateway.
 */
import { timingSafeEqual } from "node:crypto";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import postgres from "postgres";

const url = process.env.DATABASE_URL;
const secret = process.env.BASELINE_SECRET;
if (!url || !secret) {
  console.error("baseline-server needs DATABASE_URL and BASELINE_SECRET");
  process.exit(2);
}
const expected = Buffer.from(`Bearer ${secret}`);

// Ten connections and prepared statements, like src/db/postgres.ts, so the pool is not the difference.
const sql = postgres(url, { max: 10, onnotice: () => {}, prepare: true });
await sql`create table if not exists bench_inbox (id bigserial primary key, key text unique, body text)`;

const app = new Hono();
app.post("/webhooks/acme/intake", async (c) => {
  const given = Buffer.from(c.req.header("authorization") ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return c.json({ error: "unauthorized" }, 401);
  const body = await c.req.text();
  // The key is what makes a redelivery harmless; any correct receiver has to read it from the body.
  let key: unknown;
  try {
    key = (JSON.parse(body) as { externalId?: unknown }).externalId;
  } catch {
    return c.json({ error: "malformed JSON" }, 400);
  }
  if (typeof key !== "string" && typeof key !== "number") return c.json({ error: "externalId is required" }, 400);
  await sql`insert into bench_inbox (key, body) values (${`intake:${key}`}, ${body}) on conflict do nothing`;
  return c.json({ ok: true });
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" }, (info) => {
  console.log(`baseline listening on http://127.0.0.1:${info.port}`);
});

const shutdown = () => {
  server.close();
  void sql.end({ timeout: 2 }).finally(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
