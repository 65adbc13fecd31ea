import { describe, expect, it } from "vitest";
import { inProcessBackground } from "../../src/runtime/background.ts";
import { silentLogger } from "../../src/adapters/logger.ts";

describe("the Node background runner", () => {
  it("runs at most `concurrency` tasks at once and drains them all", async () => {
    const background = inProcessBackground(silentLogger, 2);
    let now = 0;
    let most = 0;
    for (let i = 0; i < 6; i++) {
      background.defer(`task ${i}`, async () => {
        most = Math.max(most, ++now);
        await new Promise((r) => setTimeout(r, 5));
        now--;
      });
    }
    await background.drain();
    expect(most).toBe(2);
    expect(now).toBe(0);
  });

  it("urgent work (sends) goes ahead of a backlog of slow work (extraction)", async () => {
    const background = inProcessBackground(silentLogger, 1);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    background.defer("busy", () => gate.then(() => void order.push("busy")));
    for (const name of ["extract 1", "extract 2", "extract 3"]) background.defer(name, async () => void order.push(name));
    background.defer("send offer", async () => void order.push("send offer"), { urgent: true });
    release();
    await background.drain();
    expect(order).toEqual(["busy", "send offer", "extract 1", "extract 2", "extract 3"]);
  });

  it("a failing task is logged, not thrown, and the rest still run", async () => {
    const errors: string[] = [];
    const background = inProcessBackground({ ...silentLogger, error: (m) => void errors.push(m) }, 1);
    const ran: string[] = [];
    background.defer("boom", async () => {
      throw new Error("boom");
    });
    background.defer("after", async () => void ran.push("after"));
    await background.drain();
    expect(errors).toEqual(["background task failed: boom"]);
    expect(ran).toEqual(["after"]);
  });
});
