import { describe, expect, it } from "vitest";
import { bearerToken, hmacSha256Hex, sha256Hex, timingSafeEqual } from "../../src/adapters/inbound/crypto.ts";

async function webCryptoSha256(message: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(message));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("sha256Hex", () => {
  it("matches the published digest of 'abc'", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("agrees with Web Crypto across padding boundaries, multi-byte text and large bodies", async () => {
    const inputs = ["", "a".repeat(55), "a".repeat(56), "a".repeat(64), "héllo ✓ ñ 🚰".repeat(40), "x".repeat(200_000)];
    for (const input of inputs) expect(sha256Hex(input)).toBe(await webCryptoSha256(input));
  });
});

describe("hmacSha256Hex", () => {
  it("matches RFC 4231 test case 2", async () => {
    expect(await hmacSha256Hex("Jefe", "what do ya want for nothing?")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });
});

describe("timingSafeEqual", () => {
  it("is true for equal strings and false when they differ anywhere or in length", async () => {
    expect(await timingSafeEqual("s3cret-token", "s3cret-token")).toBe(true);
    expect(await timingSafeEqual("s3cret-token", "S3cret-token")).toBe(false);
    expect(await timingSafeEqual("s3cret-token", "s3cret-tokeN")).toBe(false);
    expect(await timingSafeEqual("s3cret-token", "s3cret-token-longer")).toBe(false);
    expect(await timingSafeEqual("", "x")).toBe(false);
  });
});

describe("bearerToken", () => {
  it("reads the token of a Bearer header whatever the scheme's case", () => {
    expect(bearerToken(new Headers({ authorization: "Bearer abc.def" }))).toBe("abc.def");
    expect(bearerToken(new Headers({ authorization: "bearer   abc" }))).toBe("abc");
  });

  it("is null without a Bearer header", () => {
    expect(bearerToken(new Headers())).toBeNull();
    expect(bearerToken(new Headers({ authorization: "Basic dXNlcjpwYXNz" }))).toBeNull();
  });
});
