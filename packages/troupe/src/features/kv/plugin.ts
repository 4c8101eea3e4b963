// The key-value store as a feature: `c.kv` and its size limits. It keeps nothing per instance:
// its data lives in the actor's namespace and its writes join the actor's pending writes.

import { type Feature, type FeaturePlugin, type FeatureServices, featureKey } from "../../actor/feature.ts";
import { byteSize } from "../../actor/options.ts";
import { ActorKv } from "./actor-kv.ts";
import { KV_PREFIX } from "./codec.ts";
import { KV_ERROR_CODES } from "./errors.ts";

declare module "../../actor/context.ts" {
  interface ActorContext<S, CP, CS, V, Q, DB> {
    /** The actor's key-value store: ordered by key bytes, committed with the state (acknowledged means durable). */
    readonly kv: ActorKv;
  }
}

declare module "../../actor/options.ts" {
  interface ActorOptions {
    /** Largest `c.kv` key in bytes; a larger one fails with `kv.key_too_large`. Default 2 KiB. */
    maxKvKeySize?: number;
    /** Largest `c.kv` value in bytes; a larger one fails with `kv.value_too_large`. Default 128 KiB. */
    maxKvValueSize?: number;
  }
}

const kvs = new WeakMap<FeatureServices, ActorKv>();

function kvOf(services: FeatureServices): ActorKv {
  let kv = kvs.get(services);
  if (kv === undefined) {
    kv = new ActorKv(services);
    kvs.set(services, kv);
  }
  return kv;
}

export const kvFeature: FeaturePlugin = {
  key: featureKey<Feature>("kv"),
  errorCodes: KV_ERROR_CODES,
  storagePrefix: KV_PREFIX,
  options: {
    maxKvKeySize: byteSize(2 * 1024),
    maxKvValueSize: byteSize(128 * 1024),
  },
  context: {
    kv: (_c, services) => kvOf(services),
  },
  create: () => undefined,
};
