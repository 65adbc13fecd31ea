import { Webhook } from "standardwebhooks";

/** One signed POST of an outbound event. */
export interface SignedPost {
  url: string;
  /** The subscription's `whsec_…` secret. */
  secret: string;
  /** `webhook-id`: the same on every attempt, so a receiver can drop a repeat. */
  id: string;
  /** `webhook-timestamp`: when this attempt is made. */
  timestamp: Date;
  body: string;
  timeoutMs: number;
}

/** What the receiver made of it: a 2xx, or why not (a status, a timeout, a refused connection). */
export type PostResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/**
 * POSTs a body signed per Standard Webhooks (https://www.standardwebhooks.com/), with the
 * `standardwebhooks` package's own signer: headers `webhook-id`, `webhook-timestamp` (Unix
 * seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`). Redirects
 * are not followed: a receiver that moved answers 3xx, which is a failed attempt to look at.
 */
export async function postSigned(post: SignedPost, fetchImpl: typeof fetch = fetch): Promise<PostResult> {
  const signature = new Webhook(post.secret).sign(post.id, post.timestamp, post.body);
  try {
    const res = await fetchImpl(post.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "handoff-gateway",
        "webhook-id": post.id,
        "webhook-timestamp": String(Math.floor(post.timestamp.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body: post.body,
      redirect: "manual",
      signal: AbortSignal.timeout(post.timeoutMs),
    });
    // The answer's body is not needed; let the connection go. Not awaited: a body whose cancel
    // never settles (a receiver trickling an error page, a mocked stream) must not hold the attempt.
    void res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: `answered ${res.status}` };
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    if (name === "TimeoutError" || name === "AbortError") return { ok: false, status: null, error: `no answer within ${post.timeoutMs / 1000} s` };
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
    return { ok: false, status: null, error: `${err instanceof Error ? err.message : String(err)}${cause}`.slice(0, 500) };
  }
}
