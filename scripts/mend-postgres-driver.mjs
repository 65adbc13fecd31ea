// Mends postgres.js 3.4.9 so a connection the server ended cannot crash the process (npm
// postinstall; idempotent; fails the install loudly when the driver is not the version it knows).
//
// Upstream bug (porsager/postgres #1154, #1208, #1199; unfixed in 3.4.9): when PostgreSQL ends a
// connection mid-transaction, `closed()` sets `socket = null`, and then the transaction's own
// ROLLBACK (or any query a reserved/transaction handle still sends) is written to that dead
// connection. The write is deferred with setImmediate, so `socket.write` on null throws from a
// timer: an uncaught TypeError no try/catch can reach, and Node exits. A process-level
// uncaughtException handler cannot contain it either: the throw leaves the connection's write
// buffer and timer set, so its next session never sends the startup message and hangs (the pool
// "never recovers"). So the driver itself is mended, in three places:
//   1. execute() on a connection whose socket is gone rejects the query with CONNECTION_CLOSED
//      (what closed() already did to the queries in flight) instead of buffering a write;
//   2. closed() drops the unsent buffer and its timer, so the next session starts clean;
//   3. nextWrite() with no socket drops the buffer instead of throwing (a last guard);
//   4. the array-type lookup a new connection runs first (an async function nobody awaits) no
//      longer rejects unhandled when that connection is ended: the query waiting for it is
//      rejected or retried by the driver either way, and an unhandled rejection ends Node.
// Remove this script (and the postinstall) once an upstream release fixes the bug.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const KNOWN_VERSION = "3.4.9";
const MARK = "/* handoff: mended */";

const require = createRequire(import.meta.url);
// "postgres" resolves to <root>/cjs/src/index.js (package.json is not exported).
const root = join(dirname(require.resolve("postgres")), "..", "..");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
if (version !== KNOWN_VERSION) {
  throw new Error(`postgres ${version} is installed; scripts/mend-postgres-driver.mjs knows ${KNOWN_VERSION}. Check whether upstream fixed #1208, then update or remove the mend.`);
}

const EDITS = [
  {
    find: "  function execute(q) {\n    if (terminated)\n      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))\n",
    add: `    if (!socket) ${MARK}\n      return queryError(q, Errors.connection('CONNECTION_CLOSED', options))\n`,
  },
  {
    find: "    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)\n    socket.removeListener('connect', connected)\n    idleTimer.cancel()\n",
    add: `    chunk = nextWriteTimer = null ${MARK}\n`,
  },
  {
    find: "        return fetchArrayTypes()",
    add: `.catch(() => {}) ${MARK}`,
  },
  {
    find: "  function nextWrite(fn) {\n",
    add: `    if (!socket) ${MARK}\n      return (chunk = nextWriteTimer = null, false)\n`,
  },
];

// The ESM build (Node), the CommonJS build, and the Workers build (wrangler bundles it).
for (const file of ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"]) {
  const path = join(root, file);
  let source = readFileSync(path, "utf8");
  for (const { find, add } of EDITS) {
    if (source.includes(find + add)) continue;
    const at = source.indexOf(find);
    if (at < 0 || source.indexOf(find, at + 1) >= 0) throw new Error(`${path}: the code to mend is not where it was in ${KNOWN_VERSION}`);
    source = source.slice(0, at + find.length) + add + source.slice(at + find.length);
  }
  writeFileSync(path, source);
}
