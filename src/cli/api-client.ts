/** Talks to a running gateway's admin API (the CLI's way in while a server runs). */
export async function callApi(base: string, token: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const url = base.replace(/\/+$/, "");
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((err: Error) => {
    throw new Error(`No server answers at ${url} (${String(err.cause ?? err.message)}).`);
  });
  const json = (await res.json().catch(() => ({}))) as { error?: { message: string; details?: unknown } };
  if (!res.ok) {
    const details = json.error?.details ? `\n${JSON.stringify(json.error.details, null, 2)}` : "";
    const hint = res.status === 401 ? `\nThe server at ${url} refused the token: set ADMIN_TOKEN as the server has it.` : "";
    throw new Error(`${res.status} ${json.error?.message ?? res.statusText}${details}${hint}`);
  }
  return json;
}
