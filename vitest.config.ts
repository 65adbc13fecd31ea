import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites each create their own PostgreSQL database, so files can run in parallel.
    pool: "forks",
  },
});
