// Public entry point of `troupe`.

export type { ActionFn, ActionTree, ActorConfig } from "./actor/config.ts";
export { ActorContext, type ActionContext, type SaveStateOptions } from "./actor/context.ts";
export { Conn } from "./actor/conn.ts";
export { actor, ActorDefinition, type AnyActorDefinition } from "./actor/definition.ts";
export type { ActorKey } from "./actor/keys.ts";
export type { ActorOptions } from "./actor/options.ts";
export type {
  ActorAccessor,
  ActorConn,
  ActorHandle,
  Client,
  ConnStatus,
} from "./client/types.ts";
export { ERROR_CODES } from "./error-codes.ts";
export { ActorError, UserError, forbiddenError, isActorError, isErrorCode } from "./errors.ts";
export { createClient, Registry, type RegistryConfig, Runtime, setup } from "./registry/setup.ts";
export type { StorageConfig } from "./registry/storage-config.ts";
export type { StorageDriver } from "./storage/driver.ts";
export { MemoryDriver } from "./storage/memory.ts";
export { SqliteDriver } from "./storage/sqlite.ts";
