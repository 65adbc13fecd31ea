// `npm start`: rebuilds dist/ when its sources changed since the last build (a few milliseconds
// of stat calls when they did not), then serves from dist/node.js in this same process, one
// Node start instead of two, and signals go straight to the server. `npm run dev` runs tsx.
import { buildDist } from "./build.mjs";

await buildDist();
// Stack traces name src/ files and lines, not the bundle's.
process.setSourceMapsEnabled(true);
await import("../dist/node.js");
