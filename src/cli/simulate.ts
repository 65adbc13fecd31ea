import type { Env } from "../env.ts";

/** Signs a fixture the way its provider would and posts it to a running gateway. */
export async function simulate(input: { provider?: string; file?: string; business: string; url: string; env: Env }): Promise<number> {
  console.error(`simulate: provider "${input.provider ?? ""}" is not supported yet.`);
  return 2;
}
