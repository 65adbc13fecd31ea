/*
 * How well the offline (heuristic) extractor reads the calls of fixtures/extraction/, field by
 * field, and how long it takes on a transcript just under 1 MiB.
 *
 *   npm run bench:extraction              # the table, then every miss
 *   BENCH_QUIET=1 npm run bench:extraction  # the table only
 *
 * Each call goes the webhook's way: its provider's parser, then extractFields (the heuristic,
 * then caller ID), as test/helpers/extraction-corpus.ts does for the corpus test.
 */
import { heuristicExtractor } from "../src/adapters/extractor/heuristic/index.ts";
import { extractCall, loadCorpus, SCORED_FIELDS, scoreCorpus } from "../test/helpers/extraction-corpus.ts";

const GOAL_MS = 200;
const MIB = 1024 * 1024;

const extractor = heuristicExtractor();
const corpus = loadCorpus();

const started = performance.now();
const results = [];
for (const call of corpus) results.push({ call, fields: (await extractCall(extractor, call)).fields });
const corpusMs = performance.now() - started;
const score = scoreCorpus(results);

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : "—");
console.log(`extraction corpus: ${score.calls} calls, heuristic extractor, ${(corpusMs / score.calls).toFixed(2)} ms a call\n`);
console.log(`${"field".padEnd(18)}${"stated".padStart(8)}${"right".padStart(8)}${"recall".padStart(9)}${"wrong".padStart(8)}${"invented".padStart(10)}`);
for (const field of SCORED_FIELDS) {
  const f = score.fields[field];
  console.log(`${field.padEnd(18)}${String(f.stated).padStart(8)}${String(f.found).padStart(8)}${pct(f.found, f.stated).padStart(9)}${String(f.wrong).padStart(8)}${String(f.invented).padStart(10)}`);
}
const total = Object.values(score.fields).reduce((t, f) => ({ stated: t.stated + f.stated, found: t.found + f.found, wrong: t.wrong + f.wrong, invented: t.invented + f.invented }), { stated: 0, found: 0, wrong: 0, invented: 0 });
console.log(`${"all".padEnd(18)}${String(total.stated).padStart(8)}${String(total.found).padStart(8)}${pct(total.found, total.stated).padStart(9)}${String(total.wrong).padStart(8)}${String(total.invented).padStart(10)}`);

const bad = (field: "phone" | "serviceAddress" | "fullName") => score.fields[field].wrong + score.fields[field].invented;
const goals: [string, boolean][] = [
  [`recall ≥ 95% (${pct(total.found, total.stated)})`, score.recall >= 0.95],
  [`0 wrong phones (${bad("phone")})`, bad("phone") === 0],
  [`0 wrong addresses (${bad("serviceAddress")})`, bad("serviceAddress") === 0],
  [`0 invented names (${score.fields.fullName.invented})`, score.fields.fullName.invented === 0],
];
console.log("");
for (const [goal, met] of goals) console.log(`${met ? "PASS" : "MISS"}  ${goal}`);

if (!process.env.BENCH_QUIET && score.misses.length) {
  console.log("\nmisses:");
  for (const miss of score.misses) {
    const expected = miss.expected === undefined ? "" : ` expected ${JSON.stringify(miss.expected)}`;
    const actual = miss.actual === undefined ? "" : ` got ${JSON.stringify(miss.actual)}`;
    console.log(`  ${miss.kind.padEnd(8)} ${miss.field.padEnd(16)} ${miss.call}:${expected}${actual}`);
  }
}

// A call padded in the middle with talk to just under 1 MiB (UTF-8), as the largest body a
// webhook accepts would carry: what the caller said first and the agent's promise last stay.
const [first] = corpus;
const lines = transcriptOf(first!.payload).split("\n");
const filler = "User: Sorry, let me think, I had it written down somewhere, give me one second.\nAI: Take your time.\n";
const budget = MIB - 1024 - Buffer.byteLength(lines.join("\n"));
const big = [...lines.slice(0, -1), filler.repeat(Math.floor(budget / filler.length)).trimEnd(), ...lines.slice(-1)].join("\n");
const input = { transcript: big, summary: null, callerPhone: "+15125550101", serviceTypes: ["plumbing", "water heater"], timezone: "America/Chicago", now: new Date() };
await extractor.extract(input); // warm the JIT and the regexp compiler
const runs: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  await extractor.extract(input);
  runs.push(performance.now() - t);
}
runs.sort((a, b) => a - b);
const median = runs[2]!;
console.log(`\n${(Buffer.byteLength(big) / 1024).toFixed(0)} KiB transcript: median ${median.toFixed(1)} ms of 5 (min ${runs[0]!.toFixed(1)}, max ${runs[4]!.toFixed(1)})`);
console.log(`${median < GOAL_MS ? "PASS" : "MISS"}  under ${GOAL_MS} ms`);

function transcriptOf(payload: unknown): string {
  const p = payload as { message?: { artifact?: { transcript?: string } }; call?: { transcript?: string }; concatenated_transcript?: string; transcript?: string };
  return p.message?.artifact?.transcript ?? p.call?.transcript ?? p.concatenated_transcript ?? p.transcript ?? "";
}
