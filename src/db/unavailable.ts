/**
 * Tells "the database cannot be reached now" (a restart, a failover, a dropped connection, a
 * database being recreated) from "this query is wrong". The first is answered 503 so senders
 * retry; the second stays a 500 and is logged as a bug.
 */

/** SQLSTATEs of an outage: connection exceptions, shutdown or termination, no such database, no slot. */
const OUTAGE_SQLSTATE = /^(08...|57P0[1-5]|3D000|53300)$/;
/** postgres.js's own codes for a connection that closed, was ended, or never opened in time. */
const DRIVER_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT"]);
/** Socket errors on the way to the server. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** The codes on an error and on what it wraps (drizzle wraps driver errors as `cause`). */
function* codes(err: unknown, depth = 0): Generator<string> {
  if (!err || typeof err !== "object" || depth > 5) return;
  const { code, cause, errors } = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string") yield code;
  yield* codes(cause, depth + 1);
  // Node reports a refused connection to every address of a host as an AggregateError.
  if (Array.isArray(errors)) for (const inner of errors) yield* codes(inner, depth + 1);
}

/** True when `err` (or what it wraps) says the database is unreachable rather than the query wrong. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const code of codes(err)) {
    if (DRIVER_CODES.has(code) || SOCKET_CODES.has(code) || OUTAGE_SQLSTATE.test(code)) return true;
  }
  return false;
}

/** A short description of an outage for the log: codes and the driver's message, never query parameters. */
export function describeOutage(err: unknown): string {
  let inner: unknown = err;
  while (inner && typeof inner === "object" && (inner as { cause?: unknown }).cause) inner = (inner as { cause: unknown }).cause;
  const message = inner instanceof Error ? inner.message : String(inner);
  return `${[...codes(err)].join(" ")}: ${message}`.slice(0, 300);
}
