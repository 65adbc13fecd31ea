import { describe, expect, it } from "vitest";
import { mergedText } from "../../src/domain/merge-text.ts";

describe("text from another intake joining a lead", () => {
  it("the same source again adds nothing it already holds", () => {
    expect(mergedText("AI: hi\nUser: leak", "AI: hi\nUser: leak", "\n---\n", true)).toBe("AI: hi\nUser: leak");
    expect(mergedText("AI: hi\nUser: leak\nAI: bye", "User: leak", "\n---\n", true)).toBe("AI: hi\nUser: leak\nAI: bye");
  });

  it("a fuller copy from the same source replaces the shorter one", () => {
    expect(mergedText("AI: hi", "AI: hi\nUser: leak", "\n---\n", true)).toBe("AI: hi\nUser: leak");
  });

  it("another source is appended, even with the same words", () => {
    expect(mergedText("Customer: yes", "Customer: yes", "\n---\n", false)).toBe("Customer: yes\n---\nCustomer: yes");
  });

  it("empty sides give the other", () => {
    expect(mergedText(null, "x", "\n", true)).toBe("x");
    expect(mergedText("x", null, "\n", false)).toBe("x");
    expect(mergedText(null, null, "\n", false)).toBeNull();
  });
});
