// Child process of the crash workload. "work": writes of every kind, from several concurrent
// callers, printing "ack <kind> <actor> <seq>" once each is acknowledged, until it is killed.
// "check": wakes every actor, waits until their queues and schedules are drained, and prints
// "dump <actor> <json>" for each, then exits.

import { createClient } from "../../../src/index.ts";
import { printLine as print } from "../../support/child-process.ts";
import { FLOWS, KINDS, LEDGERS, workloadRegistry } from "./actors.ts";

const [path, mode, runArg] = process.argv.slice(2) as [string, "work" | "check", string];
const registry = workloadRegistry(path);
const client = createClient<typeof registry>(registry);

const ledger = (i: number) => client.ledger.getOrCreate([`L${i}`]);
const flow = (i: number) => client.flow.getOrCreate([`F${i}`]);

if (mode === "work") {
  // Sequence numbers of one run start at run * 1e6, so no two runs share one.
  let next = Number(runArg) * 1_000_000;
  print("ready");
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (;;) {
        const seq = next++;
        const kind = KINDS[Math.floor(Math.random() * KINDS.length)]!;
        const i = Math.floor(Math.random() * (kind === "workflow" ? FLOWS : LEDGERS));
        const name = kind === "workflow" ? `F${i}` : `L${i}`;
        if (kind === "workflow") await flow(i).send("steps", seq);
        else if (kind === "queue") await ledger(i).send("jobs", seq);
        else await ledger(i)[kind](seq);
        print(`ack ${kind} ${name} ${seq}`);
      }
    }),
  );
} else {
  const started = Date.now();
  for (const [name, handle] of [
    ...Array.from({ length: LEDGERS }, (_, i) => [`L${i}`, ledger(i)] as const),
    ...Array.from({ length: FLOWS }, (_, i) => [`F${i}`, flow(i)] as const),
  ]) {
    for (;;) {
      const dump = await handle.dump();
      if (dump.pending === 0) {
        print(`dump ${name} ${JSON.stringify(dump)}`);
        break;
      }
      if (Date.now() - started > 30_000) {
        print(`stuck ${name} ${JSON.stringify(dump)}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  await registry.shutdown();
  process.exit(0);
}
