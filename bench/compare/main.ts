// `npm run bench:compare -- <other checkout> [--n=100000] [--rounds=8] [--calls=echo,increment]
// [--paths=ws,in_process]`: the action path of this checkout against another one's (both built
// with `npm run build`), in one run: rounds alternate between the two so that the machine's load
// falls on both alike. Over WebSocket each side's own client calls its own server (100 actors, one
// connection each, 512 in flight); in process, each side's in-process client calls its actors in a
// process of its own (in-process.mjs). Reported per side as medians with ranges: calls/s, and the
// CPU time per call (the server's and the client's), which a loaded machine moves far less than
// the rate.

import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { ROOT } from "../lib/build.ts";
import { inFlight } from "../lib/pool.ts";

const ACTORS = 100;
const CONCURRENCY = 512;

interface Sample {
  perSecond: number;
  serverCpuUs: number;
  clientCpuUs: number;
}

/** One in-process round: a process of its own reports its rate and CPU per call. */
async function inProcessRound(root: string, call: string, n: number): Promise<Sample> {
  const script = fileURLToPath(new URL("./in-process.mjs", import.meta.url));
  const child = spawn(process.execPath, [script, root, String(n), call], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  const { perSecond, cpuUs } = JSON.parse(String(line.value)) as { perSecond: number; cpuUs: number };
  return { perSecond, serverCpuUs: cpuUs, clientCpuUs: 0 };
}

async function wsRound(root: string, call: string, n: number): Promise<Sample> {
  const server = spawn(process.execPath, [fileURLToPath(new URL("./server.mjs", import.meta.url)), root], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: server.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(String((await lines.next()).value)) as Record<string, number>;
  const serverCpu = async () => {
    server.stdin.write("cpu\n");
    return (await next()).cpuUs as number;
  };
  try {
    const { url } = (await next()) as unknown as { url: string };
    const { createClient } = (await import(resolve(root, "packages/troupe/dist/client/node.js"))) as typeof import("troupe/client");
    // The other checkout's client has its own types: both are driven through the shape they share.
    const client = createClient(url) as unknown as { counter: { getOrCreate(key: string[]): { connect(): Conn } } };
    const conns = Array.from({ length: ACTORS }, (_, a) => client.counter.getOrCreate([`c${a}`]).connect());
    await Promise.all(conns.map((conn) => conn.ready));
    const drive = (count: number) =>
      inFlight(count, CONCURRENCY, (i) => {
        const conn = conns[i % ACTORS] as Conn;
        return call === "echo" ? conn.echo(i) : conn.increment(1);
      });
    await drive(Math.min(n, 20_000));
    const cpu0 = await serverCpu();
    const own0 = process.cpuUsage();
    const ms = await drive(n);
    const own = process.cpuUsage(own0);
    const cpu1 = await serverCpu();
    await Promise.all(conns.map((conn) => conn.dispose()));
    return { perSecond: (n * 1000) / ms, serverCpuUs: (cpu1 - cpu0) / n, clientCpuUs: (own.user + own.system) / n };
  } finally {
    server.stdin.end();
  }
}

interface Conn {
  ready: Promise<void>;
  echo(value: number): Promise<unknown>;
  increment(by: number): Promise<unknown>;
  dispose(): Promise<void>;
}

function summary(samples: Sample[], field: keyof Sample): { median: number; min: number; max: number } {
  const values = samples.map((s) => s[field]).sort((a, b) => a - b);
  return { median: values[Math.floor((values.length - 1) / 2)] as number, min: values[0] as number, max: values.at(-1) as number };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  const other = args.find((arg) => !arg.startsWith("--"));
  if (other === undefined || args.includes("--help")) {
    process.stdout.write(
      "Usage: npm run bench:compare -- <other checkout> [--n=100000] [--rounds=8] [--calls=echo,increment] [--paths=ws,in_process]\n",
    );
    return other === undefined && !args.includes("--help") ? 1 : 0;
  }
  const option = (name: string, fallback: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
  const n = Number(option("n", "100000"));
  const rounds = Number(option("rounds", "8"));
  const sides = { other: resolve(other), this: ROOT };
  const report: Record<string, Record<string, unknown>> = {};
  for (const path of option("paths", "ws,in_process").split(",")) {
    const round = path === "in_process" ? inProcessRound : wsRound;
    for (const call of option("calls", "echo,increment").split(",")) {
      const samples: Record<string, Sample[]> = { other: [], this: [] };
      for (let r = 1; r <= rounds; r++) {
        for (const [side, root] of Object.entries(sides)) {
          process.stderr.write(`${path} ${call} round ${r}/${rounds}: ${side}\n`);
          samples[side]?.push(await round(root, call, n));
        }
      }
      for (const side of Object.keys(sides)) {
        const list = samples[side] as Sample[];
        // In process, client and actors share one process: its CPU is the server figure.
        report[`${path}.${call}.${side}`] = {
          per_second: summary(list, "perSecond"),
          [path === "in_process" ? "cpu_us_per_call" : "server_cpu_us_per_call"]: summary(list, "serverCpuUs"),
          ...(path === "in_process" ? {} : { client_cpu_us_per_call: summary(list, "clientCpuUs") }),
        };
      }
    }
  }
  process.stdout.write(`${JSON.stringify({ other: sides.other, n, rounds, results: report }, null, 2)}\n`);
  return 0;
}

process.exitCode = await main();
