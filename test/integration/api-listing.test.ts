import { beforeEach, expect, it } from "vitest";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";

// GET /api/leads and /api/messages (CONTRACT §8): `q` finds a lead by phone digits or part of a
// name; `cursor` pages through a listing that keeps growing, each row once.
describeOnBackends("searching and paging the listings on $name", ({ kind }) => {
  const t = useTestApp(kind);
  let business: string;
  beforeEach(async () => {
    business = await t.newBusiness();
  });

  const people = [
    ["Jane Doe", "+15125550123"],
    ["Carlos Mendoza", "+15125550131"],
    ["Dana O'Neil", "+15125550142"],
    ["Jan 50% Off_Promo", "+15125550177"],
  ] as const;
  const make = async () => {
    for (const [fullName, phone] of people) {
      expect((await t.call("POST", "/api/leads", completeLead({ business, fullName, phone }))).status).toBe(201);
    }
  };
  const names = async (query: string) => {
    const res = await t.call("GET", `/api/leads?business=${business}&${query}`);
    expect(res.status).toBe(200);
    return res.body.leads.map((l: { fullName: string }) => l.fullName).sort();
  };

  it("q finds leads by phone digits in any format or by part of a name, in any case", async () => {
    await make();
    expect(await names("q=0131")).toEqual(["Carlos Mendoza"]);
    expect(await names(`q=${encodeURIComponent("(512) 555-0142")}`)).toEqual(["Dana O'Neil"]);
    expect(await names("q=JAN")).toEqual(["Jan 50% Off_Promo", "Jane Doe"]);
    expect(await names(`q=${encodeURIComponent("o'neil")}`)).toEqual(["Dana O'Neil"]);
    expect(await names(`q=${encodeURIComponent("50%")}`)).toEqual(["Jan 50% Off_Promo"]); // % is literal
    expect(await names("q=_")).toEqual(["Jan 50% Off_Promo"]); // so is _
    expect(await names("q=nobody")).toEqual([]);
    expect((await t.call("GET", `/api/leads?business=${business}&q=`)).status).toBe(400);
  });

  it("cursor pages through leads newest first, each once, while new ones arrive", async () => {
    await make();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.call("GET", `/api/leads?business=${business}&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.leads.map((l: { code: number }) => String(l.code)));
      cursor = res.body.nextCursor;
      if (pages++ === 0) {
        // A lead that arrives after the first page is newer than it: no page shows it again or
        // shifts the others.
        t.clock.advance(1_000);
        await t.call("POST", "/api/leads", completeLead({ business, fullName: "Late Arrival", phone: "+15125550199" }));
      }
    } while (cursor);
    expect(seen).toEqual(["1004", "1003", "1002", "1001"]);
    expect(pages).toBe(2);
  });

  it("the last page says there is no more; a cursor that is not one is 400 naming it", async () => {
    await make();
    const all = await t.call("GET", `/api/leads?business=${business}&limit=4`);
    expect(all.body.nextCursor).toBeNull();
    for (const bad of ["nope", "eyJ4IjoxfQ", "%00"]) {
      const res = await t.call("GET", `/api/leads?business=${business}&cursor=${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe("cursor");
    }
  });

  it("cursor pages through messages too", async () => {
    await make();
    await t.settle();
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.call("GET", `/api/messages?business=${business}&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      ids.push(...res.body.messages.map((m: { id: string }) => m.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const whole = (await t.call("GET", `/api/messages?business=${business}`)).body;
    expect(whole.nextCursor).toBeNull();
    expect(ids).toEqual(whole.messages.map((m: { id: string }) => m.id));
    expect(new Set(ids).size).toBe(people.length);
  });
});
