/** Talks to a running gateway's admin API (used when the embedded database is held by a server). */
export async function callApi(base: string, token: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base.replace(/\/+$/, "")}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { error?: { message: string; details?: unknown } };
  if (!res.ok) {
    const details = json.error?.details ? `\n${JSON.stringify(json.error.details, null, 2)}` : "";
    throw new Error(`${res.status} ${json.error?.message ?? res.statusText}${details}`);
  }
  return json;
}
