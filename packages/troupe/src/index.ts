// Public entry point of `troupe`.

// What the installed features add to the types of `actor({...})`, the context `c` and the
// options. Imported here so that the package's type declarations carry them.
import "./features/db/plugin.ts";
import "./features/kv/plugin.ts";
import "./features/queue/plugin.ts";
import "./features/run/plugin.ts";
import "./features/schedule/plugin.ts";
import "./runtime/actor-client.ts";

export type { ActionFn, ActionTree, ActorConfig, CreateGuardContext, CreateGuardRequest } from "./actor/config.ts";
export { ActorContext, type ActionContext, type SaveStateOptions } from "./actor/context.ts";
export type { Compatibility } from "./actor/compatibility.ts";
export { Conn } from "./actor/conn.ts";
export type * from "./actor/context-of.ts";
export { ActorDefinition, type AnyActorDefinition } from "./actor/definition.ts";
export { actor } from "./runtime/actor.ts";
export { type EventDefinition, event } from "./actor/events.ts";
export type { ActorKey } from "./protocol/keys.ts";
export type { ActorOptions } from "./actor/options.ts";
export type {
  ActorAccessor,
  ActorConn,
  ActorHandle,
  Client,
  ConnStatus,
} from "./client/types.ts";
export type { MaybePromise } from "./actor/config.ts";
export type { RunConfig, RunHandler } from "./features/run/feature.ts";
export type { SendOptions, SendResult } from "./protocol/query.ts";
export type { QueueSendOptions as ClientQueueSendOptions, QueueSender, QueueSendResult } from "./client/types.ts";
export { ERROR_CODES } from "./runtime/error-codes.ts";
export { ActorError, UserError, forbiddenError, isActorError, isErrorCode } from "./base/errors.ts";
export { RivetError } from "./errors.ts";
export type * from "./features/kv/index.ts";
export { ActorQueue, type EnqueueAndWaitOptions } from "./features/queue/api.ts";
export { DeadLetters, type DeadLetterInfo } from "./features/queue/dead-letters.ts";
export { DEFAULT_QUEUE, queue, type QueueDefinition, type QueueOptions } from "./features/queue/definition.ts";
export type { StandardSchemaV1 } from "./base/standard-schema.ts";
export type * from "./features/queue/types.ts";
export { ActorCron, ActorSchedule } from "./features/schedule/api.ts";
export type * from "./features/schedule/types.ts";
export type { AttachedSockets } from "./server/node/attach.ts";
export type { ServeOptions, TroupeServer } from "./server/node/serve.ts";
export type { CorsOptions, LimitsConfig, TransportConfig } from "./server/options.ts";
export { createClient, Registry, type RegistryConfig, setup } from "./runtime/registry.ts";
export { type NextHandlers, toNextHandler } from "./runtime/next.ts";
export { Runtime } from "./runtime/runtime.ts";
export type { StorageConfig } from "./runtime/storage-config.ts";
export type { StorageDriver } from "./storage/driver.ts";
export { MemoryDriver } from "./storage/memory/driver.ts";
export { PostgresDriver, type PostgresDriverOptions } from "./storage/postgres/driver.ts";
export type { SqliteBinding } from "./storage/sqlite/binding.ts";
export { SqliteDriver } from "./storage/sqlite/driver.ts";
