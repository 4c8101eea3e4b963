// What `troupe cluster status` shows, read from the cluster's PostgreSQL.

import type { ClusterStatus } from "../storage/cluster-store.ts";
import { openClusterStore } from "../storage/postgres/cluster-store.ts";
import { openPostgres } from "../storage/postgres/driver.ts";

const STATUS_TIMEOUT_MS = 10_000;

export async function readClusterStatus(url: string): Promise<ClusterStatus> {
  // Opened as a driver first: it checks the URL and brings the schema up to date.
  const driver = await openPostgres({ url, poolSize: 1 });
  await driver.close();
  const store = await openClusterStore({ url, timeoutMs: STATUS_TIMEOUT_MS });
  try {
    return await store.status();
  } finally {
    await store.close();
  }
}
