#!/usr/bin/env node
// The `handoff` command. It runs the built CLI (dist/cli.js, made by `npm ci` and `npm start`) when
// that is up to date with its sources: no TypeScript is compiled per command. After an edit to
// src/ it runs the TypeScript through tsx instead, so a command never runs code older than the tree.
import { fileURLToPath } from "node:url";
import { isStale } from "../scripts/build-freshness.mjs";

if (isStale(fileURLToPath(new URL("..", import.meta.url)), "code")) {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli.ts");
} else {
  process.setSourceMapsEnabled(true);
  await import("../dist/cli.js");
}
