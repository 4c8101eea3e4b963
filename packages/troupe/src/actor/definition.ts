// An actor definition: its config validated against the core and the features it is defined
// with, its options resolved, its nested actions flattened to dotted names.

import { checkKeys } from "../base/config-keys.ts";
import { isStandardSchema, type StandardSchemaV1 } from "../base/standard-schema.ts";
import { errors } from "../base/errors.ts";
import { CONN_MEMBERS, FUNCTION_MEMBERS, HANDLE_MEMBERS, isObjectMember, PROXY_EXCLUDED } from "../protocol/handle-members.ts";
import {
  type ActionFn,
  type ActionTree,
  type ActorConfig,
  CORE_CONFIG_KEYS,
  FUNCTION_KEYS,
  IGNORED_CONFIG_KEYS,
  type SchemaTree,
} from "./config.ts";
import { type ActionContext, type ActorContext, contextClass } from "./context.ts";
import type { FeaturePlugin } from "./feature.ts";
import { STATE_PREFIX } from "./storage-keys.ts";
import { optionSpecs, type ResolvedActorOptions, resolveOptions } from "./options.ts";

/** Type-only record of what a definition holds, read by the typed clients. */
export interface ActorTypes<S, CP, CS, V, I, A, Q = {}, E = {}> {
  state: S;
  connParams: CP;
  connState: CS;
  vars: V;
  input: I;
  actions: A;
  queues: Q;
  /** Declared events by name; `{}` when the actor declares none. */
  events: E;
}

export class ActorDefinition<S = unknown, CP = unknown, CS = unknown, V = unknown, I = unknown, A = unknown, Q = {}, DB = unknown, E = {}> {
  declare readonly types: ActorTypes<S, CP, CS, V, I, A, Q, E>;
  readonly config: ActorConfig<S, CP, CS, V, I, ActionTree<ActionContext<S, CP, CS, V, Q, DB>>, Q, DB>;
  readonly options: ResolvedActorOptions;
  /** Actions by dotted name. */
  readonly actions: ReadonlyMap<string, ActionFn<ActionContext<S, CP, CS, V, Q, DB>>>;
  /** The argument schemas of `actionInputSchemas`, by dotted action name. */
  readonly argSchemas: ReadonlyMap<string, StandardSchemaV1>;
  readonly hasState: boolean;
  readonly hasConnHooks: boolean;
  /** @internal The features this actor was defined with, in the order instances build them. */
  readonly features: readonly FeaturePlugin[];
  /** @internal The class of its contexts: ActorContext with the features' members. */
  readonly Context: typeof ActorContext;

  /** @internal */
  constructor(
    config: ActorConfig<S, CP, CS, V, I, ActionTree<ActionContext<S, CP, CS, V, Q, DB>>, Q, DB>,
    features: readonly FeaturePlugin[],
  ) {
    this.config = config;
    this.features = features;
    this.Context = contextClass(features);
    this.options = resolveOptions(config.options, optionSpecs(features.map((f) => f.options)));
    this.actions = flattenActions(config.actions ?? {});
    this.argSchemas = flattenSchemas(config.actionInputSchemas ?? {});
    for (const name of this.actions.keys()) {
      const hidden = hiddenOn(name);
      if (hidden) {
        console.warn(
          `actor(): the action "${name}" is hidden on client ${hidden} by their own member of that name; ` +
            `call it as handle.action({ name: "${name}", args }), or rename it.`,
        );
      }
    }
    this.hasState = "state" in config || config.createState !== undefined;
    this.hasConnHooks =
      config.onBeforeConnect !== undefined ||
      config.onConnect !== undefined ||
      config.onDisconnect !== undefined ||
      config.createConnState !== undefined ||
      config.connParamsSchema !== undefined ||
      "connState" in config;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: any definition, whatever its type parameters.
export type AnyActorDefinition = ActorDefinition<any, any, any, any, any, any, any, any, any>;

/** Validates `config` against the core and `features` (the composition root's `actor()` calls this). */
export function defineActor<S, CP, CS, V, I, A, Q, DB, E>(
  config: ActorConfig<S, CP, CS, V, I, A, Q, DB>,
  features: readonly FeaturePlugin[],
): ActorDefinition<S, CP, CS, V, I, A, Q, DB, E> {
  checkFeatures(features);
  validateConfig(config as unknown as Record<string, unknown>, features);
  return new ActorDefinition<S, CP, CS, V, I, A, Q, DB, E>(
    config as ActorConfig<S, CP, CS, V, I, ActionTree<ActionContext<S, CP, CS, V, Q, DB>>, Q, DB>,
    features,
  );
}

const checkedLists = new WeakSet<readonly FeaturePlugin[]>();

/** Features of one list keep their data apart: no two share a storage prefix (nor the state's). */
function checkFeatures(features: readonly FeaturePlugin[]): void {
  if (checkedLists.has(features)) return;
  const owners = new Map<number, string>([[STATE_PREFIX, "state"]]);
  for (const feature of features) {
    if (feature.storagePrefix === undefined) continue;
    const other = owners.get(feature.storagePrefix);
    if (other !== undefined) throw new Error(`The features "${other}" and "${feature.key.name}" use the same storage prefix.`);
    owners.set(feature.storagePrefix, feature.key.name);
  }
  checkedLists.add(features);
}

function validateConfig(config: Record<string, unknown>, features: readonly FeaturePlugin[]): void {
  if (typeof config !== "object" || config === null) throw errors.config("actor() takes a definition object.");
  const featureChecks = new Map(features.flatMap((f) => Object.entries(f.config ?? {})));
  const known = [...CORE_CONFIG_KEYS, ...featureChecks.keys()];
  checkKeys("actor() config key", config, known, IGNORED_CONFIG_KEYS);
  if ("state" in config && config.createState !== undefined) {
    throw errors.config("Define either `state` or `createState`, not both.");
  }
  if ("vars" in config && config.createVars !== undefined) {
    throw errors.config("Define either `vars` or `createVars`, not both.");
  }
  if ("connState" in config && config.createConnState !== undefined) {
    throw errors.config("Define either `connState` or `createConnState`, not both.");
  }
  for (const key of FUNCTION_KEYS) {
    if (config[key] !== undefined && typeof config[key] !== "function") {
      throw errors.config(`\`${key}\` must be a function.`);
    }
  }
  if (config.actions !== undefined && (typeof config.actions !== "object" || config.actions === null)) {
    throw errors.config("`actions` must be an object of functions.");
  }
  if (config.actionInputSchemas !== undefined && (typeof config.actionInputSchemas !== "object" || config.actionInputSchemas === null)) {
    throw errors.config("`actionInputSchemas` must be an object of schemas.");
  }
  if (config.connParamsSchema !== undefined && !isStandardSchema(config.connParamsSchema)) {
    throw errors.config("`connParamsSchema` must be a Standard Schema (Zod, Valibot, ArkType, ...).");
  }
  for (const [key, check] of featureChecks) if (config[key] !== undefined) check(config[key]);
}

const HANDLE: ReadonlySet<string> = new Set(HANDLE_MEMBERS);
const CONN: ReadonlySet<string> = new Set(CONN_MEMBERS);
const EVERYWHERE: ReadonlySet<string> = new Set(PROXY_EXCLUDED);
const NESTED: ReadonlySet<string> = new Set(FUNCTION_MEMBERS);

/**
 * Where a client member hides the action `name` (dotted): its first part may be a handle's or a
 * connection's member (`send`, `on`, `toString`, ...), and no part may be `then`.
 */
function hiddenOn(name: string): string | undefined {
  const parts = name.split(".");
  const top = parts[0]!;
  if (parts.some((part) => EVERYWHERE.has(part)) || isObjectMember(top)) return "handles and connections";
  if (parts.slice(1).some((part) => NESTED.has(part))) return "handles and connections";
  if (HANDLE.has(top) && CONN.has(top)) return "handles and connections";
  if (HANDLE.has(top)) return "handles";
  if (CONN.has(top)) return "connections";
  return undefined;
}

function flattenSchemas(tree: SchemaTree, prefix = "", out = new Map<string, StandardSchemaV1>()) {
  for (const [name, value] of Object.entries(tree)) {
    const full = prefix + name;
    if (isStandardSchema(value)) {
      if (out.has(full)) throw errors.config(`actionInputSchemas: "${full}" is defined twice (nested and dotted).`);
      out.set(full, value);
    } else if (typeof value === "object" && value !== null) {
      flattenSchemas(value, `${full}.`, out);
    } else {
      throw errors.config(`actionInputSchemas: "${full}" must be a Standard Schema or an object of them.`);
    }
  }
  return out;
}

function flattenActions<Ctx>(tree: ActionTree<Ctx>, prefix = "", out = new Map<string, ActionFn<Ctx>>()) {
  for (const [name, value] of Object.entries(tree)) {
    const full = prefix + name;
    if (typeof value === "function") {
      if (out.has(full)) throw errors.config(`Action "${full}" is defined twice.`);
      out.set(full, value);
    } else if (typeof value === "object" && value !== null) {
      flattenActions(value, `${full}.`, out);
    } else {
      throw errors.config(`Action "${full}" must be a function or an object of actions.`);
    }
  }
  return out;
}
