import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/** One delivery the receiver took, verified with the standardwebhooks library. */
export interface Received {
  id: string;
  type: string;
  leadId: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * A real HTTP receiver on an ephemeral port that verifies every POST the way a subscriber would
 * (`new Webhook(secret).verify`), answers 401 to what fails verification, and can go down (its
 * port closed: connections refused) and come back on the same port. `failNext` makes the next
 * verified arrivals answer 500, to count retries.
 */
export async function startReceiver(secret: string) {
  const verifier = new Webhook(secret);
  const received: Received[] = [];
  const refusedSignatures: string[] = [];
  let failNext = 0;
  const answered500: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let payload: any;
      try {
        payload = verifier.verify(body, headers);
      } catch (err) {
        refusedSignatures.push(String(err));
        res.writeHead(401).end();
        return;
      }
      const arrival = { id: headers["webhook-id"]!, type: payload.type, leadId: payload.data.lead.id, body, headers };
      if (failNext > 0) {
        failNext--;
        answered500.push(arrival);
        res.writeHead(500).end("try later");
        return;
      }
      received.push(arrival);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answered500,
    refusedSignatures,
    failNext(n: number) {
      failNext = n;
    },
    /** Closes the port: attempts now get a refused connection. */
    async goDown() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async comeBack() {
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}
