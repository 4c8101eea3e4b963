// Public entry point of `troupe`.

export type { ActionFn, ActionTree, ActorConfig } from "./actor/config.ts";
export { ActorContext, type ActionContext, type SaveStateOptions } from "./actor/context.ts";
export { Conn } from "./actor/conn.ts";
export { actor, ActorDefinition, type AnyActorDefinition } from "./actor/definition.ts";
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
export { ERROR_CODES } from "./base/error-codes.ts";
export { ActorError, UserError, forbiddenError, isActorError, isErrorCode } from "./base/errors.ts";
export type * from "./features/kv/index.ts";
export { ActorQueue, DeadLetters, type DeadLetterInfo, type EnqueueAndWaitOptions } from "./features/queue/api.ts";
export { DEFAULT_QUEUE, queue, type QueueDefinition, type QueueOptions } from "./features/queue/definition.ts";
export type { StandardSchemaV1 } from "./features/queue/schema.ts";
export type * from "./features/queue/types.ts";
export { ActorCron, ActorSchedule } from "./features/schedule/api.ts";
export type * from "./features/schedule/types.ts";
export type { ServeOptions, TroupeServer } from "./server/node/serve.ts";
export type { CorsOptions, TransportConfig } from "./server/options.ts";
export { createClient, Registry, type RegistryConfig, Runtime, setup } from "./runtime/registry.ts";
export type { StorageConfig } from "./runtime/storage-config.ts";
export type { ActorDatabaseStore, StorageDriver } from "./storage/driver.ts";
export { MemoryDriver } from "./storage/memory/driver.ts";
export { SqliteDriver } from "./storage/sqlite/driver.ts";
