import { expect, it } from "vitest";
import { loadBusiness } from "../../src/admin/businesses.ts";
import { receiveLead } from "../../src/intake/receive-lead.ts";
import type { LeadIntake } from "../../src/intake/lead-intake.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";

// Which open lead an intake updates, in one statement (issue 16): the lead the caller was asked
// about, else the same call, else the same caller within the dedupe window.

describeOnBackends("the open lead an intake updates on $name", (backend) => {
  const t = useTestApp(backend.kind);

  const intakeFor = async (slug: string, extra: Partial<LeadIntake>): Promise<LeadIntake> => ({
    business: await loadBusiness(t.deps.db, slug),
    fields: { fullName: "Dana Reyes", serviceType: "plumbing", summaryNotes: "Sink leaking." },
    sources: {},
    channel: "intake_api",
    actor: "test",
    ...extra,
  });
  const withPhone = async (slug: string, phone: string, extra: Partial<LeadIntake> = {}) => {
    const intake = await intakeFor(slug, extra);
    return receiveLead(t.deps, { ...intake, fields: { ...intake.fields, phone } });
  };

  it("the same call wins over the same caller's other open lead", async () => {
    const slug = await t.newBusiness();
    const a = await withPhone(slug, "+15125550101", { externalId: "call-a" });
    // B is newer, so a ranking by age alone would pick it.
    t.clock.advance(60_000);
    const b = await withPhone(slug, "+15125550102");
    expect([a.created, b.created]).toEqual([true, true]);
    const again = await withPhone(slug, "+15125550102", { externalId: "call-a" });
    expect(again).toMatchObject({ created: false, lead: { id: a.lead.id } });
  });

  it("the lead the caller was asked about wins over the same call and the same caller", async () => {
    const slug = await t.newBusiness();
    const asked = await withPhone(slug, "+15125550104");
    // The same call's lead is newer, so neither age nor the call id may decide here.
    t.clock.advance(60_000);
    const a = await withPhone(slug, "+15125550103", { externalId: "call-b" });
    const answer = await withPhone(slug, "+15125550103", { externalId: "call-b", answersAskOf: asked.lead.id });
    expect(answer).toMatchObject({ created: false, lead: { id: asked.lead.id } });
    expect(a.lead.id).not.toBe(asked.lead.id);
  });

  it("with no call id and another phone, a new lead is made", async () => {
    const slug = await t.newBusiness();
    const a = await withPhone(slug, "+15125550105", { externalId: "call-c" });
    const other = await withPhone(slug, "+15125550106", { externalId: "call-d" });
    expect(other.created).toBe(true);
    expect(other.lead.id).not.toBe(a.lead.id);
    const same = await withPhone(slug, "+15125550106");
    expect(same).toMatchObject({ created: false, lead: { id: other.lead.id } });
  });
});
