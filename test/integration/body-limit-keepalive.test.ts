import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/harness.ts";

// Over a real socket with Node's pooled fetch: after a 413 the next request on the same client
// must succeed, so the 413 has to tell the client the connection is done.
describe("a body over 1 MiB on a kept-alive connection", () => {
  const t = useTestApp("pglite");
  let server: ServerType;
  let base: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
  });

  const big = "x".repeat(2 * 1024 * 1024);
  const chunked = () =>
    new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(big.slice(0, 512 * 1024 + 1)));
        controller.close();
      },
    });

  it.each([
    ["with a Content-Length", () => ({ body: big })],
    ["chunked", () => ({ body: chunked(), duplex: "half" })],
  ])("%s gets 413 with Connection: close, and the client's next request succeeds", async (_, body) => {
    for (let round = 0; round < 3; round++) {
      const res = await fetch(`${base}/webhooks/acme/vapi`, { method: "POST", headers: { "content-type": "application/json" }, ...(body() as RequestInit) });
      expect(res.status).toBe(413);
      expect(res.headers.get("connection")).toBe("close");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
      await new Promise((r) => setTimeout(r, 50));
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    }
  });
});
