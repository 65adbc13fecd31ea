/**
 * A fixed-rate HTTP sender that is honest about coordinated omission: request i is *due* at
 * start + i / rate, and its latency is counted from that due time, not from when a socket was
 * free to send it. A server that falls behind therefore shows its backlog in the figures instead
 * of slowing the sender down. Every request's due time is kept (by the key the caller gives it),
 * so a later step can measure from it too.
 */
import http from "node:http";

export interface FixedRateResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** ms from each request's due time to its answer (2xx only), sorted ascending. */
  latencies: number[];
  /** Due time (epoch ms) per key. */
  dueAt: Map<string, number>;
  /** How far behind its due time the sender itself dispatched, at worst (the load generator's own lag). */
  maxDispatchLagMs: number;
  durationMs: number;
}

export interface FixedRateRequest {
  key: string;
  path: string;
  body: string;
}

/**
 * Sends `rate × seconds` POSTs to `base` over at most `connections` keep-alive sockets (more are
 * queued in the agent, their wait counted), then waits for every answer (each times out after 30 s).
 */
export async function sendAtFixedRate(opts: {
  base: string;
  rate: number;
  seconds: number;
  connections: number;
  headers: Record<string, string>;
  next: (i: number) => FixedRateRequest;
}): Promise<FixedRateResult> {
  const { hostname, port } = new URL(opts.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const total = Math.round(opts.rate * opts.seconds);
  const result: FixedRateResult = { sent: 0, ok: 0, non2xx: 0, errors: 0, latencies: [], dueAt: new Map(), maxDispatchLagMs: 0, durationMs: 0 };
  const inFlight: Promise<void>[] = [];
  const start = performance.now() + 20;
  const epochOffset = Date.now() - performance.now();

  const post = (req: FixedRateRequest, due: number) =>
    new Promise<void>((resolve) => {
      const body = Buffer.from(req.body);
      const r = http.request(
        { host: hostname, port, method: "POST", path: req.path, agent, timeout: 30_000, headers: { ...opts.headers, "content-length": body.length } },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode && res.statusCode >= 200 && res.statusCode < 300) {
              result.ok++;
              result.latencies.push(performance.now() - due);
            } else result.non2xx++;
            resolve();
          });
        },
      );
      r.on("timeout", () => r.destroy(new Error("timeout")));
      r.on("error", () => {
        result.errors++;
        resolve();
      });
      r.end(body);
    });

  for (let i = 0; i < total; ) {
    const now = performance.now();
    // Everything due by now goes out at once; the next tick is the next due time.
    while (i < total && start + (i * 1000) / opts.rate <= now) {
      const due = start + (i * 1000) / opts.rate;
      result.maxDispatchLagMs = Math.max(result.maxDispatchLagMs, now - due);
      const req = opts.next(i);
      result.dueAt.set(req.key, epochOffset + due);
      inFlight.push(post(req, due));
      result.sent++;
      i++;
    }
    if (i < total) await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + (i * 1000) / opts.rate - performance.now())));
  }
  await Promise.all(inFlight);
  result.durationMs = performance.now() - start;
  agent.destroy();
  result.latencies.sort((a, b) => a - b);
  return result;
}

/** The q-quantile (0..1) of ascending values, nearest rank; NaN when empty. */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
