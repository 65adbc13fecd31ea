import { sql } from "drizzle-orm";
import type { Db } from "./client.ts";

/**
 * True when a trivial query answers within `timeoutMs`. A pool whose connections all hang (a
 * half-open network, a server that stopped answering) counts as down, not as slow.
 */
export async function pingDatabase(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
  try {
    return await Promise.race([db.execute(sql`select 1`).then(() => true, () => false), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
