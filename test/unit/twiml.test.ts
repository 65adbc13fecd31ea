import { describe, expect, it } from "vitest";
import {
  escalationCallTwiml,
  forwardCallTwiml,
  GATHER_TIMEOUT_SECONDS,
  gatherResultTwiml,
  hangupTwiml,
  missedCallTwiml,
  sayTwiml,
  VOICEMAIL_MAX_SECONDS,
} from "../../src/adapters/messaging/twiml.ts";

// No XML parser is installed, and TwiML from xmlbuilder is a small regular subset (elements,
// double-quoted attributes, text, the five entities), so the tests read it with this one.
interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

const decode = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
    if (named[e]) return named[e];
    return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });

function parseXml(xml: string): El {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  const tokens = xml.replace(/^<\?xml[^>]*\?>/, "").match(/<[^>]+>|[^<]+/g) ?? [];
  const root: El = { name: "#root", attrs: {}, children: [], text: "" };
  const stack = [root];
  for (const token of tokens) {
    const top = stack[stack.length - 1]!;
    if (token.startsWith("</")) {
      expect(token.slice(2, -1)).toBe(top.name);
      stack.pop();
    } else if (token.startsWith("<")) {
      const m = /^<([\w:]+)((?:\s+[\w:]+="[^"]*")*)\s*(\/?)>$/.exec(token);
      expect(m, `malformed tag ${token}`).not.toBeNull();
      const attrs: Record<string, string> = {};
      for (const [, k, v] of m![2]!.matchAll(/([\w:]+)="([^"]*)"/g)) attrs[k!] = decode(v!);
      const el: El = { name: m![1]!, attrs, children: [], text: "" };
      top.children.push(el);
      if (!m![3]) stack.push(el);
    } else {
      top.text += decode(token);
    }
  }
  expect(stack).toHaveLength(1);
  expect(root.children).toHaveLength(1);
  return root.children[0]!;
}

const names = (el: El) => el.children.map((c) => c.name);

describe("forwardCallTwiml", () => {
  it("dials forwardTo with the ring timeout and posts the outcome to the dial-status URL", () => {
    const res = parseXml(
      forwardCallTwiml({
        forwardTo: "+15125550199",
        timeoutSeconds: 20,
        actionUrl: "https://handoff.example.com/webhooks/acme/twilio/dial-status",
      }),
    );
    expect(res.name).toBe("Response");
    expect(names(res)).toEqual(["Dial"]);
    const dial = res.children[0]!;
    expect(dial.text).toBe("+15125550199");
    expect(dial.attrs).toMatchObject({
      timeout: "20",
      action: "https://handoff.example.com/webhooks/acme/twilio/dial-status",
      method: "POST",
      // The caller keeps hearing ringing, not silence, while the business phone rings.
      answerOnBridge: "true",
    });
    expect(dial.attrs).not.toHaveProperty("callerId");
  });

  it("shows the business number as caller ID when asked", () => {
    const dial = parseXml(
      forwardCallTwiml({ forwardTo: "+15125550199", callerId: "+15125550100", timeoutSeconds: 15, actionUrl: "https://x.test/a" }),
    ).children[0]!;
    expect(dial.attrs.callerId).toBe("+15125550100");
  });

  it("keeps a query string in the action URL intact through XML escaping", () => {
    const actionUrl = "https://handoff.example.com/webhooks/acme/twilio/dial-status?from=%2B15125550123&a=1&b=2";
    const dial = parseXml(forwardCallTwiml({ forwardTo: "+15125550199", timeoutSeconds: 20, actionUrl })).children[0]!;
    expect(dial.attrs.action).toBe(actionUrl);
  });
});

describe("missedCallTwiml", () => {
  const xml = missedCallTwiml({
    businessName: "Acme Plumbing & Heating",
    recordingActionUrl: "https://handoff.example.com/webhooks/acme/twilio/voicemail",
  });
  const res = parseXml(xml);

  it("apologises by name, then records a voicemail that posts to the recording URL", () => {
    expect(names(res)).toEqual(["Say", "Record", "Say", "Hangup"]);
    expect(res.children[0]!.text).toContain("Sorry, nobody at Acme Plumbing & Heating could take your call");
    expect(res.children[1]!.attrs).toMatchObject({
      maxLength: String(VOICEMAIL_MAX_SECONDS),
      action: "https://handoff.example.com/webhooks/acme/twilio/voicemail",
      method: "POST",
      finishOnKey: "#",
    });
  });

  it("escapes the business name for XML (the raw document has no bare &)", () => {
    expect(xml).toContain("Acme Plumbing &amp; Heating");
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;|#)/);
  });

  it("says goodbye when nothing was recorded, since Twilio then skips the action", () => {
    expect(res.children[2]!.text).toMatch(/goodbye/i);
  });
});

describe("escalationCallTwiml", () => {
  const text = "Urgent lead 1042: Jane Doe, burst pipe at 1208 E 4th St. Due by 2:35 PM.";
  const gatherActionUrl = "https://handoff.example.com/webhooks/acme/twilio/gather?lead=1042&member=dana";
  const res = parseXml(escalationCallTwiml({ text, gatherActionUrl }));

  it("asks twice for one keypress, then says goodbye and hangs up", () => {
    expect(names(res)).toEqual(["Gather", "Gather", "Say", "Hangup"]);
    expect(res.children[2]!.text).toMatch(/goodbye/i);
  });

  it.each([0, 1])("gather %i takes one digit and posts it to the gather URL", (i) => {
    const gather = res.children[i]!;
    expect(gather.attrs).toMatchObject({
      numDigits: "1",
      action: gatherActionUrl,
      method: "POST",
      timeout: String(GATHER_TIMEOUT_SECONDS),
      input: "dtmf",
    });
  });

  it.each([0, 1])("gather %i reads the lead and the keys to press", (i) => {
    const says = res.children[i]!.children;
    expect(says.map((s) => s.name)).toEqual(["Say", "Say"]);
    expect(says[0]!.text).toContain(text);
    expect(says[1]!.text).toMatch(/press 1 to accept/i);
    expect(says[1]!.text).toMatch(/press 2 to reject/i);
  });

  it("reads text with XML-special characters back exactly", () => {
    const tricky = 'Lead 1043: "O\'Brien & Sons" <commercial>';
    const said = parseXml(escalationCallTwiml({ text: tricky, gatherActionUrl })).children[0]!.children[0]!.text;
    expect(said).toBe(tricky);
  });
});

describe("gatherResultTwiml, sayTwiml and hangupTwiml", () => {
  it("gatherResultTwiml says the message and hangs up", () => {
    const res = parseXml(gatherResultTwiml("Lead 1042 is yours. We texted you the details."));
    expect(names(res)).toEqual(["Say", "Hangup"]);
    expect(res.children[0]!.text).toBe("Lead 1042 is yours. We texted you the details.");
  });

  it("sayTwiml speaks the body once and hangs up", () => {
    const res = parseXml(sayTwiml("New urgent lead 1042."));
    expect(names(res)).toEqual(["Say", "Hangup"]);
    expect(res.children[0]!.text).toBe("New urgent lead 1042.");
  });

  it("hangupTwiml is an empty response that hangs up", () => {
    const res = parseXml(hangupTwiml());
    expect(res.name).toBe("Response");
    expect(names(res)).toEqual(["Hangup"]);
    expect(res.children[0]!.children).toEqual([]);
  });
});
