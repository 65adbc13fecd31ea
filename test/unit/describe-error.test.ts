import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { describeError } from "../../src/errors.ts";
import { loggable } from "../../src/adapters/logger.ts";

const failed = () =>
  new DrizzleQueryError(
    'insert into "leads" ("transcript") values ($1)',
    ["Caller: my gate code is 4411\nAI: thanks", '{"secrets":{"vapi":"s3cret"}}'],
    new Error("invalid byte sequence"),
  );

describe("describing a failure for logs and stored errors", () => {
  it("keeps a failed query's text and reason but not its values, in message and stack", () => {
    for (const text of [describeError(failed()), describeError(failed(), { stack: true })]) {
      expect(text).toContain('insert into "leads"');
      expect(text).toContain("invalid byte sequence");
      expect(text).not.toContain("4411");
      expect(text).not.toContain("s3cret");
    }
    expect(describeError(failed(), { stack: true })).toMatch(/\n {4}at /);
  });

  it("redacts a failed query however the caller stringified it", () => {
    const fields = loggable({ error: String(failed()), raw: failed(), n: 3 });
    expect(JSON.stringify(fields)).not.toMatch(/4411|s3cret/);
    expect(fields.n).toBe(3);
  });
});
