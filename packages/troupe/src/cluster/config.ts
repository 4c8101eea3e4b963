// The `cluster` option of setup(): cluster mode is on when a registry with PostgreSQL storage
// serves (registry.serve, `troupe start`), unless it is `false`. Its settings can come from the
// environment, so that the same registry file runs as any node.

import { errors } from "../base/errors.ts";

export interface ClusterConfig {
  /** How long a node's lease lasts without a renewal; it renews at a third of it. Default 10 000 ms (env TROUPE_CLUSTER_LEASE_MS). */
  leaseMs?: number;
  /** The base URL other nodes reach this one at. Default: the address it listens on (env TROUPE_CLUSTER_ADDRESS). */
  address?: string;
}

export interface ResolvedCluster {
  leaseMs: number;
  address: string | undefined;
}

export const DEFAULT_LEASE_MS = 10_000;
const MIN_LEASE_MS = 300;

export function resolveCluster(config: ClusterConfig | false | undefined, env: NodeJS.ProcessEnv): ResolvedCluster | undefined {
  if (config === false) return undefined;
  if (config !== undefined && (typeof config !== "object" || config === null)) {
    throw errors.config("cluster must be an object ({ leaseMs, address }) or false.");
  }
  const unknown = Object.keys(config ?? {}).filter((key) => key !== "leaseMs" && key !== "address");
  if (unknown.length > 0) throw errors.config(`Unknown cluster option ${unknown.join(", ")}; known: leaseMs, address.`);
  const fromEnv = env.TROUPE_CLUSTER_LEASE_MS;
  const leaseMs = config?.leaseMs ?? (fromEnv === undefined ? DEFAULT_LEASE_MS : Number(fromEnv));
  if (!Number.isInteger(leaseMs) || leaseMs < MIN_LEASE_MS) {
    const given = config?.leaseMs === undefined ? `TROUPE_CLUSTER_LEASE_MS=${JSON.stringify(fromEnv)}` : String(leaseMs);
    throw errors.config(`Invalid cluster lease ${given}: use a whole number of milliseconds from ${MIN_LEASE_MS}.`);
  }
  const address = config?.address ?? env.TROUPE_CLUSTER_ADDRESS;
  if (address !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(address);
    } catch {}
    if (url?.protocol !== "http:") throw errors.config(`Invalid cluster address ${JSON.stringify(address)}: use http://host:port.`);
  }
  return { leaseMs, address };
}
