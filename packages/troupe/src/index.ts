// Public entry point of `troupe`.

export type { ActionFn, ActionTree, ActorConfig } from "./actor/config.ts";
export { ActorContext, type ActionContext, type SaveStateOptions } from "./actor/context.ts";
export { Conn } from "./actor/conn.ts";
export { actor, ActorDefinition, type AnyActorDefinition } from "./actor/definition.ts";
export { type EventDefinition, event } from "./actor/events.ts";
export type { ActorKey } from "./actor/keys.ts";
export type { ActorOptions } from "./actor/options.ts";
export type {
  ActorAccessor,
  ActorConn,
  ActorHandle,
  Client,
  ConnStatus,
} from "./client/types.ts";
export type { MaybePromise } from "./actor/config.ts";
export type { RunConfig, RunHandler } from "./actor/run.ts";
export type { SendOptions, SendResult } from "./client/driver.ts";
export type { QueueSendOptions as ClientQueueSendOptions, QueueSender, QueueSendResult } from "./client/types.ts";
export { ERROR_CODES } from "./error-codes.ts";
export { ActorError, UserError, forbiddenError, isActorError, isErrorCode } from "./errors.ts";
export type * from "./kv/index.ts";
export { ActorQueue, DeadLetters, type DeadLetterInfo, type EnqueueAndWaitOptions } from "./queue/api.ts";
export { DEFAULT_QUEUE, queue, type QueueDefinition, type QueueOptions } from "./queue/definition.ts";
export type { StandardSchemaV1 } from "./queue/schema.ts";
export type * from "./queue/types.ts";
export { ActorCron, ActorSchedule } from "./schedule/api.ts";
export type * from "./schedule/types.ts";
export type { ServeOptions, TroupeServer } from "./transport/node-server.ts";
export type { CorsOptions, TransportConfig } from "./transport/options.ts";
export { createClient, Registry, type RegistryConfig, Runtime, setup } from "./registry/setup.ts";
export type { StorageConfig } from "./registry/storage-config.ts";
export type { ActorDatabaseStore, StorageDriver } from "./storage/driver.ts";
export { MemoryDriver } from "./storage/memory.ts";
export { SqliteDriver } from "./storage/sqlite.ts";
