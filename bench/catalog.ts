// Every workload of the suite: its file, its sizes (full run and smoke run), and how it is split
// into processes. Each run is a fresh `node` process; the runner merges what the runs report.

export interface WorkloadSpec {
  name: string;
  /** Under bench/workloads/ (the peers workload is under bench/peers/). */
  file: string;
  /** Extra flags for `node`. */
  nodeArgs?: string[];
  /** Parameters with their full and smoke-run values, passed to every run as --name=value. */
  params: Record<string, { full: string; smoke: string }>;
  /** The processes to start, each with these extra parameters; one plain run if absent. */
  runs?: (params: Record<string, string>) => Array<Record<string, string>>;
  /** Runs only when DATABASE_URL names a PostgreSQL server (else it is left out, unless asked for by --only). */
  needsPostgres?: boolean;
}

const size = (full: number | string, smoke: number | string) => ({ full: String(full), smoke: String(smoke) });

/** A run per storage in the `storages` parameter: sqlite, postgres (the server at DATABASE_URL) or both. */
const storageRuns = ({ storages = "sqlite" }: Record<string, string>) => storages.split(",").map((storage) => ({ storage }));

const transports =
  (...names: string[]) =>
  () =>
    names.map((transport) => ({ transport }));

export const CATALOG: readonly WorkloadSpec[] = [
  {
    name: "cold_start",
    file: "cold-start.ts",
    params: { n: size(5_000, 20), concurrency: size(64, 8), warmup: size(500, 5) },
    runs: transports("in_process", "http"),
  },
  {
    name: "wake",
    file: "wake.ts",
    params: { n: size(5_000, 20), warmup: size(500, 5) },
    runs: transports("in_process", "http"),
  },
  {
    name: "memory_per_actor",
    file: "memory-per-actor.ts",
    nodeArgs: ["--expose-gc"],
    params: { counts: size("10000,100000", "200") },
    // The floor and Troupe run in separate processes: freed memory is not always returned to the
    // system, so a process that measured one would skew the resident size of the other.
    runs: ({ counts = "" }) =>
      counts.split(",").flatMap((count) => [
        { count, subject: "floor" },
        { count, subject: "troupe" },
      ]),
  },
  {
    name: "action_latency",
    file: "action-latency.ts",
    params: { n: size(20_000, 50), warmup: size(2_000, 5) },
    runs: transports("in_process", "http", "ws_json", "ws_cbor"),
  },
  {
    name: "action_throughput",
    file: "action-throughput.ts",
    // HTTP gets its own, smaller sizes: a Node client's fetch does a few thousand requests a second.
    params: {
      n: size(200_000, 100),
      actors: size(100, 4),
      concurrency: size(512, 8),
      http_n: size(20_000, 50),
      http_concurrency: size(64, 8),
    },
    runs: transports("in_process", "http", "ws"),
  },
  {
    name: "observed_actions",
    file: "observed-actions.ts",
    params: { n: size(200_000, 100), actors: size(100, 4), concurrency: size(512, 8) },
    runs: () => [{ observer: "metrics" }, { observer: "tracing" }],
  },
  {
    name: "broadcast",
    file: "broadcast.ts",
    params: { conns: size(1_000, 10), events: size(1_000, 5), figure: size("broadcast.ws", "broadcast.ws") },
  },
  {
    // The curve over the number of connections: one run per point, fewer events for more connections.
    name: "broadcast_curve",
    file: "broadcast.ts",
    params: { points: size("10,100,1000,5000", "3"), deliveries: size(1_000_000, 20) },
    runs: ({ points = "", deliveries = "0" }) =>
      points.split(",").map((conns) => ({
        conns,
        events: String(Math.max(1, Math.round(Number(deliveries) / Number(conns)))),
        figure: `broadcast_curve.conns_${conns}`,
      })),
  },
  {
    // The curve over the number of actors: durable increments, in process, one run per point.
    name: "actions_curve",
    file: "actions-curve.ts",
    params: { points: size("1,10,100,1000,10000", "3"), n: size(50_000, 20), concurrency: size(512, 8) },
    runs: ({ points = "" }) => points.split(",").map((actors) => ({ actors })),
  },
  {
    name: "startup",
    file: "startup.ts",
    params: { actors: size(100_000, 50) },
  },
  {
    name: "durable_writes",
    file: "durable-writes.ts",
    params: { n: size(100_000, 100), actors: size(1_000, 10), concurrency: size(512, 8), storages: size("sqlite", "sqlite") },
    runs: storageRuns,
  },
  {
    name: "commit_latency",
    file: "commit-latency.ts",
    params: { n: size(2_000, 20), group: size(256, 8), groups: size(200, 5), storages: size("sqlite", "sqlite") },
    runs: storageRuns,
  },
  {
    name: "queue",
    file: "queue.ts",
    params: { n: size(50_000, 50), actors: size(100, 4), concurrency: size(512, 8) },
  },
  {
    name: "state_writes",
    file: "state-writes.ts",
    params: { n: size(200, 5), kb: size(1_024, 80) },
  },
  {
    name: "queue_depth",
    file: "queue-depth.ts",
    params: { depth: size(100_000, 200), shallow: size(100, 10), n: size(1_000, 10), concurrency: size(64, 4) },
  },
  {
    // Troupe beside workerd (when `npm install -D workerd` put its binary here), same HTTP client.
    name: "peers",
    file: "../peers/peers.ts",
    params: { n: size(2_000, 10), actors: size(100, 4), concurrency: size(16, 4) },
  },
  {
    name: "client_bundle_bytes",
    file: "client-bundle.ts",
    params: {},
  },
  {
    name: "cluster",
    file: "cluster.ts",
    needsPostgres: true,
    params: {
      nodes: size("1,2,3", "2"),
      n: size(5_000, 20),
      actors: size(100, 4),
      concurrency: size(64, 4),
      latency_n: size(1_000, 20),
      rounds: size(10, 1),
      lease_ms: size(1_000, 1_000),
    },
    runs: ({ nodes = "1" }) => [
      ...nodes.split(",").map((count) => ({ part: "throughput", nodes: count })),
      { part: "latency" },
      { part: "db" },
      { part: "failover" },
    ],
  },
  {
    name: "schedule",
    file: "schedule.ts",
    params: { actors: size(100, 4), per_actor: size(100, 5), lead_ms: size(3_000, 1_000) },
  },
];
