// A running set of actors: the host over one storage driver, with what the runtime provides to
// features (the in-process client for \`c.client()\`, where actor databases live), and shutdown.

import type { Logger } from "pino";
import type { AnyActorDefinition } from "../actor/definition.ts";
import { COMPATIBILITY, type Compatibility } from "../actor/compatibility.ts";
import type { FeatureKey } from "../actor/feature.ts";
import { createClientFromDriver } from "../client/client.ts";
import type { Client } from "../client/types.ts";
import type { ClusterNode } from "../cluster/node.ts";
import { ACTOR_DATABASES, type ActorDatabases } from "../features/db/databases.ts";
import { ActorHost } from "../host/host.ts";
import type { StorageDriver } from "../storage/driver.ts";
import { logLifecycle } from "../telemetry/lifecycle-log.ts";
import { traceActors } from "../telemetry/tracing.ts";
import { IN_PROCESS_CLIENT } from "./actor-client.ts";
import { ClusterDriver } from "./cluster-driver.ts";
import { type InProcessLimits, LocalDriver } from "./local-driver.ts";
import { actorDatabasesOf } from "./storage-config.ts";

export interface RuntimeOptions {
  /** "troupe" (default) or "rivetkit": whose behaviour to take where they differ (docs/compatibility.md). */
  compatibility?: Compatibility;
  /** The host runs only the actors whose lease this node holds (join with `joinCluster`). */
  cluster?: ClusterNode;
  /** The in-process client refuses what the server would: see LocalDriver. */
  limits?: InProcessLimits;
}

export class Runtime<A extends Record<string, AnyActorDefinition> = Record<string, AnyActorDefinition>> {
  /** @internal */
  readonly host: ActorHost;
  readonly client: Client<{ definitions: A }>;

  readonly #cluster: ClusterNode | undefined;
  readonly #databases: ActorDatabases | undefined;
  readonly #local: LocalDriver;

  constructor(definitions: A, driver: StorageDriver, logger: Logger, options: RuntimeOptions = {}) {
    const { compatibility = "troupe", cluster, limits } = options;
    const resources = new Map<FeatureKey<unknown>, unknown>([[COMPATIBILITY, compatibility]]);
    this.#cluster = cluster;
    this.host = new ActorHost({ driver, definitions, logger, resources, ownership: cluster });
    const local = new LocalDriver(() => this.host, limits);
    this.#local = local;
    const clientDriver = cluster
      ? new ClusterDriver(
          local,
          () => this.host,
          () => cluster.address,
        )
      : local;
    this.client = createClientFromDriver<{ definitions: A }>(clientDriver);
    resources.set(IN_PROCESS_CLIENT, this.client);
    const databases = actorDatabasesOf(driver);
    this.#databases = databases;
    if (databases) resources.set(ACTOR_DATABASES, databases);
    // Both watch the host only when asked for: a registered tracer provider, a debug logger.
    traceActors(this.host);
    logLifecycle(this.host);
  }

  /** The cluster node of this runtime, if it is one. */
  get cluster(): ClusterNode | undefined {
    return this.#cluster;
  }

  /** Joins the cluster, advertising `address` to the other nodes. */
  joinCluster(address: string): Promise<void> {
    return this.#cluster?.join(this.host, address) ?? Promise.resolve();
  }

  /**
   * Stops every actor, saving its state, and closes storage. A cluster node drains first: new
   * actors go to the other nodes while its own stop, calls for them are forwarded once they have.
   */
  async shutdown(): Promise<void> {
    const cluster = this.#cluster;
    if (cluster) {
      await cluster.startDrain();
      await this.host.drain();
      await cluster.leave();
    }
    await this.host.shutdown();
    this.#local.closeSockets();
    this.#databases?.close?.();
  }
}
