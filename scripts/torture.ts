// `npm run torture`: the soak versions of the standing reliability checks, each ending with a JSON
// summary. Exits 1 if any check failed.
//
//   npm run torture                          the protocol fuzzer, 20,000 HTTP cases (and a third as many WebSocket sessions)
//   npm run torture -- --fuzz-runs 100000    longer
//   npm run torture -- --seed 1234           replays a fuzz run

import { parseArgs } from "node:util";
import { runFuzz } from "../packages/troupe/test/reliability/fuzz/run.ts";

const { values } = parseArgs({ options: { "fuzz-runs": { type: "string", default: "20000" }, seed: { type: "string" } } });

const runs = Number(values["fuzz-runs"]);
console.log(`torture: protocol fuzzer, ${runs} HTTP cases and ${Math.ceil(runs / 3)} WebSocket sessions, both encodings`);
const fuzz = await runFuzz({ runs, seed: values.seed === undefined ? undefined : Number(values.seed) });
console.log(JSON.stringify({ torture: "fuzz", ...fuzz }, null, 2));
process.exitCode = fuzz.failures.length === 0 && fuzz.crashes.length === 0 ? 0 : 1;
