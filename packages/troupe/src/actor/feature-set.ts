// The features one instance uses, in the order of the definition's plugins, and the fan-out of
// the instance's lifecycle to them. Instances with the same features share one list of keys.

import type { Logger } from "pino";
import type { Feature, FeatureKey, FeaturePlugin, FeatureServices, StartKind, StopKind } from "./feature.ts";

/** Where a failing feature is logged: read only on a failure (an instance makes its logger on first use). */
interface LogOwner {
  readonly log: Logger;
}

const keyLists = new Map<string, ReadonlyArray<FeatureKey<unknown>>>();

function internKeys(keys: Array<FeatureKey<unknown>>): ReadonlyArray<FeatureKey<unknown>> {
  const id = keys.map((k) => k.name).join(",");
  let shared = keyLists.get(id);
  if (!shared) {
    shared = keys;
    keyLists.set(id, shared);
  }
  return shared;
}

export class FeatureSet {
  readonly #features: readonly Feature[];
  readonly #keys: ReadonlyArray<FeatureKey<unknown>>;

  constructor(plugins: readonly FeaturePlugin[], services: FeatureServices) {
    const features: Feature[] = [];
    const keys: Array<FeatureKey<unknown>> = [];
    for (const plugin of plugins) {
      const feature = plugin.create(services);
      if (feature === undefined) continue;
      features.push(feature);
      keys.push(plugin.key);
    }
    this.#features = features;
    this.#keys = internKeys(keys);
  }

  get<T>(key: FeatureKey<T>): T | undefined {
    const at = this.#keys.indexOf(key as FeatureKey<unknown>);
    return at < 0 ? undefined : (this.#features[at] as T);
  }

  async beforeStart(kind: StartKind): Promise<void> {
    for (const feature of this.#features) await feature.beforeStart?.(kind);
  }

  afterStart(): void {
    for (const feature of this.#features) feature.afterStart?.();
  }

  /** The earliest alarm any feature needs. */
  nextAlarm(): number | undefined {
    let next: number | undefined;
    for (const feature of this.#features) {
      const at = feature.nextAlarm?.();
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  async onAlarm(now: number, owner: LogOwner): Promise<void> {
    for (const feature of this.#features) {
      try {
        await feature.onAlarm?.(now);
      } catch (error) {
        owner.log.error({ err: error }, "alarm handler failed");
      }
    }
  }

  contextEnded(owner: object): void {
    for (const feature of this.#features) feature.contextEnded?.(owner);
  }

  async stopping(kind: StopKind, owner: LogOwner): Promise<void> {
    for (const feature of this.#features) {
      try {
        await feature.stopping?.(kind);
      } catch (error) {
        owner.log.error({ err: error }, "feature failed to stop");
      }
    }
  }

  /** Features give back what they hold (an open database, ...) after a stop, or a start that failed. */
  async release(kind: StopKind, owner: LogOwner): Promise<void> {
    for (const feature of this.#features) {
      try {
        await feature.afterStop?.(kind);
      } catch (error) {
        owner.log.error({ err: error }, "feature failed to release its resources");
      }
    }
  }
}
