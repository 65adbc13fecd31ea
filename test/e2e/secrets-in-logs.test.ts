import { afterAll, describe, expect, it } from "vitest";
import { startGateway, type GatewayProcess } from "../helpers/gateway-process.ts";
import { demoInput } from "../helpers/demo-config.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";

const TOKEN = "tok-never-printed-7f3a91";
const SECRET = "vapi-secret-never-logged-c41d";

// What the gateway prints is read by log collectors and people looking over a shoulder: the real
// admin token and the values of a failed query (a whole config with its secrets) never appear.
describe.skipIf(!TEST_DATABASE_URL)("the gateway's output, with a real ADMIN_TOKEN and a failing query", () => {
  let database: TestDatabase;
  let gateway: GatewayProcess;
  afterAll(async () => {
    if (gateway?.child.exitCode === null) gateway.child.kill("SIGKILL");
    await gateway?.exited;
    await database?.drop();
  });

  // Every new config version fails at the database, so the apply's query and its parameters
  // reach the error path.
  const refuseVersions = (on: boolean) =>
    database.handle.db.execute(
      on
        ? `create or replace function refuse_versions() returns trigger language plpgsql as $$
           begin raise exception 'versions are refused in this test'; end $$;
           create trigger refuse_versions before insert on business_versions for each row execute function refuse_versions();`
        : `drop trigger refuse_versions on business_versions`,
    );

  it("a start that fails on a query says why without the query's values", async () => {
    database = await createTestDatabase();
    await refuseVersions(true); // the demo business cannot be loaded
    const failed = startGateway({ DATABASE_URL: database.url, ADMIN_TOKEN: TOKEN });
    expect(await failed.exited).toBe(1);
    expect(failed.output()).toContain("versions are refused in this test");
    expect(failed.output()).not.toContain("demo-vapi-secret");
    await refuseVersions(false);
  }, 60_000);

  it("never shows the token or a failed query's parameters", async () => {
    gateway = startGateway({ DATABASE_URL: database.url, ADMIN_TOKEN: TOKEN });
    const base = await gateway.ready;
    await refuseVersions(true);

    const config = { ...demoInput(), slug: "leaky", secrets: { vapi: SECRET } };
    const res = await fetch(`${base}/api/businesses/leaky`, {
      method: "PUT",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(config),
    });
    expect(res.status).toBe(500);
    await new Promise((r) => setTimeout(r, 200)); // let the error line reach the pipe

    const output = gateway.output();
    expect(output).toContain("Authorization: Bearer $ADMIN_TOKEN");
    expect(output).toContain("versions are refused in this test"); // the failure is logged…
    expect(output).toContain("business_versions"); // …with its query…
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(SECRET); // …but not its values
    expect(output).not.toContain("Acme Plumbing");
  }, 60_000);
});
