#!/usr/bin/env node
// The `handoff` command runs the TypeScript CLI through tsx, so no build step stands between a
// clone and a working command.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
