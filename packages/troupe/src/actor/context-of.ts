// RivetKit's helper types naming the context of an actor definition, for functions that take `c`
// outside the definition (`function tick(c: ActorContextOf<typeof game>)`). Every hook's context
// is the same class here, so each name is the same type.

import type { ActorContext } from "./context.ts";
import type { ActorDefinition } from "./definition.ts";

type ContextOf<D> =
  D extends ActorDefinition<infer S, infer CP, infer CS, infer V, infer _I, infer _A, infer Q, infer DB, infer _E>
    ? ActorContext<S, CP, CS, V, Q, DB>
    : never;

export type ActorContextOf<D> = ContextOf<D>;
export type ActionContextOf<D> = ContextOf<D>;
export type BeforeActionResponseContextOf<D> = ContextOf<D>;
export type BeforeConnectContextOf<D> = ContextOf<D>;
export type ConnContextOf<D> = ContextOf<D>;
export type ConnectContextOf<D> = ContextOf<D>;
export type ConnInitContextOf<D> = ContextOf<D>;
export type CreateConnStateContextOf<D> = ContextOf<D>;
export type CreateContextOf<D> = ContextOf<D>;
export type CreateVarsContextOf<D> = ContextOf<D>;
export type DestroyContextOf<D> = ContextOf<D>;
export type DisconnectContextOf<D> = ContextOf<D>;
export type MigrateContextOf<D> = ContextOf<D>;
export type RequestContextOf<D> = ContextOf<D>;
export type RunContextOf<D> = ContextOf<D>;
export type SleepContextOf<D> = ContextOf<D>;
export type StateChangeContextOf<D> = ContextOf<D>;
export type WakeContextOf<D> = ContextOf<D>;
export type WebSocketContextOf<D> = ContextOf<D>;
