// A running set of actors: the host over one storage driver, with what the runtime provides to
// features (the in-process client for \`c.client()\`, where actor databases live), and shutdown.

import type { Logger } from "pino";
import type { AnyActorDefinition } from "../actor/definition.ts";
import { COMPATIBILITY, type Compatibility } from "../actor/compatibility.ts";
import type { FeatureKey } from "../actor/feature.ts";
import { createClientFromDriver } from "../client/client.ts";
import type { Client } from "../client/types.ts";
import { ACTOR_DATABASES } from "../features/db/databases.ts";
import { ActorHost } from "../host/host.ts";
import type { StorageDriver } from "../storage/driver.ts";
import { logLifecycle } from "../telemetry/lifecycle-log.ts";
import { traceActors } from "../telemetry/tracing.ts";
import { IN_PROCESS_CLIENT } from "./actor-client.ts";
import { LocalDriver } from "./local-driver.ts";
import { actorDatabasesOf } from "./storage-config.ts";

export class Runtime<A extends Record<string, AnyActorDefinition> = Record<string, AnyActorDefinition>> {
  /** @internal */
  readonly host: ActorHost;
  readonly client: Client<{ definitions: A }>;

  constructor(definitions: A, driver: StorageDriver, logger: Logger, compatibility: Compatibility = "troupe") {
    const resources = new Map<FeatureKey<unknown>, unknown>([[COMPATIBILITY, compatibility]]);
    this.host = new ActorHost({ driver, definitions, logger, resources });
    this.client = createClientFromDriver<{ definitions: A }>(new LocalDriver(() => this.host));
    resources.set(IN_PROCESS_CLIENT, this.client);
    const databases = actorDatabasesOf(driver);
    if (databases) resources.set(ACTOR_DATABASES, databases);
    // Both watch the host only when asked for: a registered tracer provider, a debug logger.
    traceActors(this.host);
    logLifecycle(this.host);
  }

  shutdown(): Promise<void> {
    return this.host.shutdown();
  }
}
