// The types of `c.kv`, re-exported by the package entry point.

export type {
  ActorKv,
  KvEntry,
  KvGetOptions,
  KvKeyOf,
  KvKeyType,
  KvListOptions,
  KvRangeOptions,
  KvValueOf,
} from "./actor-kv.ts";
export type { KvInput, KvValue, KvValueType } from "./codec.ts";
