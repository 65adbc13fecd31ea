import { Hono } from "hono";
import { expect, test } from "vitest";
import { clientIp } from "../../src/console/guard.ts";

// The per-address sign-in limit buckets by clientIp: on Node by the socket, whatever headers the
// client wrote (a spoofed CF-Connecting-IP must not give each attempt a bucket of its own); on
// Workers, where there is no socket, by the header Cloudflare's edge sets.

const app = new Hono().get("/", (c) => c.text(clientIp(c as never)));
const nodeEnv = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

test("on Node the socket's address wins over any header the client sends", async () => {
  const res = await app.request("/", { headers: { "cf-connecting-ip": "203.0.113.9", "x-forwarded-for": "198.51.100.4" } }, nodeEnv("192.0.2.10"));
  expect(await res.text()).toBe("192.0.2.10");
});

test("without a socket (Workers) Cloudflare's header is the address, then X-Forwarded-For", async () => {
  expect(await (await app.request("/", { headers: { "cf-connecting-ip": "203.0.113.9" } })).text()).toBe("203.0.113.9");
  expect(await (await app.request("/", { headers: { "x-forwarded-for": "198.51.100.4, 10.0.0.1" } })).text()).toBe("198.51.100.4");
  expect(await (await app.request("/")).text()).toBe("unknown");
});
