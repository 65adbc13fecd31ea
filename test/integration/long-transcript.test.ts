import { eq } from "drizzle-orm";
import { beforeEach, expect, test } from "vitest";
import { MAX_BODY_BYTES } from "../../src/app.ts";
import { leads } from "../../src/db/schema/index.ts";
import { fixture, signedHeaders } from "../helpers/sign-fixture.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";

/**
 * The Vapi complete-call fixture with no analysis (so the heuristic extractor has to read the
 * transcript) and small talk inserted before its last four turns until the body is just under
 * the 1 MiB body limit. Returns the body and the full transcript in it.
 */
function oversizedVapiCall(externalId: string): { body: string; transcript: string } {
  const payload = JSON.parse(fixture("vapi/complete-call"));
  delete payload.message.analysis;
  payload.message.call.id = externalId;
  const lines: string[] = payload.message.artifact.transcript.split("\n");
  const filler = "User: Um, hold on, let me check something.\nAI: Of course, take your time.\n";
  const room = MAX_BODY_BYTES - 2_000 - Buffer.byteLength(JSON.stringify(payload));
  const transcript = [...lines.slice(0, -4), filler.repeat(Math.floor(room / (filler.length + 2))).trimEnd(), ...lines.slice(-4)].join("\n");
  payload.message.artifact.transcript = transcript;
  return { body: JSON.stringify(payload), transcript };
}

describeOnBackends("a transcript filling the body limit on $name", ({ kind }) => {
  let business: string;
  const t = useTestApp(kind);
  beforeEach(async () => void (business = await t.newBusiness()));

  test("becomes a lead with the fields said at its start and end, and is stored whole", async () => {
    const { body, transcript } = oversizedVapiCall("call-long-transcript");
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY_BYTES - 4_000);
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_BODY_BYTES);
    const res = await t.app.request(`/webhooks/${business}/vapi`, { method: "POST", body, headers: await signedHeaders("vapi", body, t.clock.now()) });
    expect(res.status).toBe(200);
    await t.settle();

    const [lead] = (await t.call("GET", `/api/leads?business=${business}`)).body.leads;
    expect(lead).toMatchObject({
      fullName: "Maria Gonzalez",
      serviceAddress: "4821 Burnet Road, Austin, Texas 78756",
      promisedNextStep: "I'll have our dispatcher call you back within 15 minutes to schedule a technician.",
    });
    const [stored] = await t.deps.db.select({ transcript: leads.transcript }).from(leads).where(eq(leads.id, lead.id));
    expect(stored!.transcript).toBe(transcript);
  });
});
