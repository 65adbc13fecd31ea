import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

/**
 * An msw server at the vendors' HTTP edge for the enclosing suite: listening before its first
 * test, handlers reset after each, closed after its last. A request no handler answers fails
 * the call, so nothing reaches the real network.
 */
export function useVendorEdge(): ReturnType<typeof setupServer> {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** The Twilio account the adapter tests sign in as, and its REST API base. */
export const ACCOUNT_SID = "AC5f3c9a1e7b2d4c6e8f0a1b3c5d7e9f21";
export const AUTH_TOKEN = "9f2c4b7e1a0d3c5e8f6a2b4d7c9e1f03";
export const TWILIO_API = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}`;
/** Where the SDK creates (POST) and lists (GET) messages. */
export const TWILIO_MESSAGES = `${TWILIO_API}/Messages.json`;
