import { afterAll, beforeAll, describe } from "vitest";
import { BACKENDS, makeTestApp, type TestApp } from "./test-app.ts";

/** One database an integration suite runs on (an entry of BACKENDS). */
export type Backend = (typeof BACKENDS)[number];

/**
 * Declares the suite once per backend, "$name" in `name` standing for the backend's name (quoted,
 * as describe.each prints it, so test names stay what they were). A backend that is not
 * configured (PostgreSQL without TEST_DATABASE_URL) is declared skipped: its tests are still
 * listed, and its hooks never run.
 */
export function describeOnBackends(name: string, suite: (backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    describe.skipIf(!backend.enabled)(name.replace("$name", `'${backend.name}'`), () => suite(backend));
  }
}

type TestAppOptions = NonNullable<Parameters<typeof makeTestApp>[1]>;

/**
 * The suite's app on a fresh database, made before its first test and closed after its last.
 * The object returned is filled in by that hook, so read it inside tests and hooks only. Pass
 * the options as a function to build them in that hook: a vendor SDK that binds `fetch` when it
 * is built must be built after useVendorEdge() is listening, or it would reach the network.
 */
export function useTestApp(kind: Backend["kind"], opts: TestAppOptions | (() => TestAppOptions) = {}): TestApp {
  const t = {} as TestApp;
  beforeAll(async () => {
    Object.assign(t, await makeTestApp(kind, typeof opts === "function" ? opts() : opts));
  });
  afterAll(async () => {
    // Only if it was made: a failed beforeAll must not hide its error behind a second one.
    if (t.close) await t.close();
  });
  return t;
}
