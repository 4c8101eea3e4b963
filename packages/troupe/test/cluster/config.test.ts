// The `cluster` option of setup() and its environment variables: checked when the registry is
// made, with errors that say what to write instead.

import { expect, test } from "vitest";
import { DEFAULT_LEASE_MS, resolveCluster } from "../../src/cluster/config.ts";
import { actor, setup } from "../../src/index.ts";

const counter = actor({ state: { n: 0 }, actions: {} });

test("defaults, values from setup() and from the environment, and off", () => {
  expect(resolveCluster(undefined, {})).toEqual({ leaseMs: DEFAULT_LEASE_MS, address: undefined });
  expect(resolveCluster({ leaseMs: 2_000, address: "http://10.0.0.1:6420" }, {})).toEqual({
    leaseMs: 2_000,
    address: "http://10.0.0.1:6420",
  });
  const env = { TROUPE_CLUSTER_LEASE_MS: "5000", TROUPE_CLUSTER_ADDRESS: "http://node-1:6420" };
  expect(resolveCluster(undefined, env)).toEqual({ leaseMs: 5_000, address: "http://node-1:6420" });
  expect(resolveCluster({ leaseMs: 3_000 }, env)).toEqual({ leaseMs: 3_000, address: "http://node-1:6420" });
  expect(resolveCluster(false, env)).toBeUndefined();
});

test("bad cluster options fail setup() with config.invalid and what to write", () => {
  const bad: Array<[unknown, string]> = [
    [{ leaseMs: 100 }, "Invalid cluster lease 100: use a whole number of milliseconds from 300."],
    [{ leaseMs: 1.5e3 + 0.5 }, "Invalid cluster lease 1500.5"],
    [{ address: "10.0.0.1:6420" }, 'Invalid cluster address "10.0.0.1:6420": use http://host:port.'],
    [{ lease: 1000 }, "Unknown cluster option lease; known: leaseMs, address."],
    ["on", "cluster must be an object ({ leaseMs, address }) or false."],
  ];
  for (const [cluster, message] of bad) {
    expect(() => setup({ use: { counter }, cluster: cluster as never }), JSON.stringify(cluster)).toThrow(
      expect.objectContaining({ group: "config", code: "invalid", message: expect.stringContaining(message) }),
    );
  }
  expect(() => resolveCluster(undefined, { TROUPE_CLUSTER_LEASE_MS: "soon" })).toThrow(
    'Invalid cluster lease TROUPE_CLUSTER_LEASE_MS="soon"',
  );
});
