// The directory: which actor a query designates (by id, or by name and key), creating it for
// `getOrCreate` and `create`. Live actors and creations under way answer without reading storage,
// two concurrent creations of one key create one actor, and no id is given out before its actor is
// durable. A lookup by key passes the actor's onBeforeCreate first, and a creation the caller's
// admission (the server's rate limit).

import { copyValue } from "../actor/copy.ts";
import type { AnyActorDefinition } from "../actor/definition.ts";
import type { ActorInstance } from "../actor/instance.ts";
import { encodeCbor } from "../base/cbor.ts";
import { ActorError, errors, isErrorCode, toPublicError } from "../base/errors.ts";
import { withTimeout } from "../base/timers.ts";
import type { Logger } from "pino";
import { keyId } from "../protocol/keys.ts";
import type { ActorQuery } from "../protocol/query.ts";
import type { ActorRecord, StorageDriver } from "../storage/driver.ts";
import type { Activations } from "./activation.ts";
import { newActorId } from "./actor-id.ts";

export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/** Who looks an actor up: what its onBeforeCreate judges, and what admits a creation. */
export interface Caller {
  params?: unknown;
  /** The HTTP request of a network caller. */
  request?: Request;
  /** Called just before an actor is created for this caller; throws to refuse (e.g. a rate limit). */
  admitCreate?: () => void;
}

type KeyQuery = Exclude<ActorQuery, { kind: "id" }>;

export class Directory {
  readonly #driver: StorageDriver;
  readonly #activations: Activations;
  readonly #definition: (name: string) => AnyActorDefinition;
  readonly #logger: Logger;
  /** name+key → the id of a creation under way, given once the new actor is durable. */
  readonly #creating = new Map<string, Promise<string>>();
  /** A creation's first instance, by the promise of its durable id (for resolveEarly). */
  readonly #started = new WeakMap<Promise<string>, Promise<ActorInstance>>();

  constructor(driver: StorageDriver, activations: Activations, definition: (name: string) => AnyActorDefinition, logger: Logger) {
    this.#driver = driver;
    this.#activations = activations;
    this.#definition = definition;
    this.#logger = logger;
  }

  async resolve(query: ActorQuery, caller: Caller = {}): Promise<string> {
    const found = await this.#find(query, caller);
    return typeof found === "string" ? found : found.created;
  }

  /**
   * Like `resolve`, but the id of an actor being created comes as soon as its first instance has
   * started, before the creation is durable, with `created` resolving once it is (to the id of the
   * actor that holds the key: another runtime's, if its creation won). A call made at once on that
   * instance joins the creation's commit: a new actor's first call then costs one commit, not two.
   * The caller must await `created` before answering.
   */
  async resolveEarly(query: ActorQuery, caller: Caller = {}): Promise<{ actorId: string; created?: Promise<string> }> {
    const found = await this.#find(query, caller);
    if (typeof found === "string") return { actorId: found };
    const started = this.#started.get(found.created);
    if (started === undefined) return { actorId: await found.created };
    return { actorId: (await started).id, created: found.created };
  }

  /** The id `query` names, or the creation under way that will give it. */
  async #find(query: ActorQuery, caller: Caller): Promise<string | { created: Promise<string> }> {
    const def = this.#definition(query.name);
    if (query.kind === "id") {
      if (this.#activations.instances.get(query.actorId)?.name === query.name) return query.actorId;
      const record = await this.#driver.getActorById(query.actorId);
      if (!record || record.name !== query.name) throw errors.notFound(`${query.name} with id ${query.actorId}`);
      return record.id;
    }
    if (def.config.onBeforeCreate) await this.#guard(def, query, caller);
    const known = this.#known(query);
    if (known !== undefined) return typeof known === "string" ? known : { created: known };
    if (query.kind === "get" || query.kind === "getOrCreate") {
      const record = await this.#driver.getActorByKey(query.name, query.key);
      if (record) return record.id;
      if (query.kind === "get") throw errors.notFound(`${query.name} with key ${JSON.stringify(query.key)}`);
    } else if (await this.#driver.getActorByKey(query.name, query.key)) {
      throw errors.duplicateKey(query.name, query.key);
    }
    // Another call may have started creating it while we looked in storage. No await may come
    // between this check and #create registering the new actor, or two calls could both create.
    const again = this.#known(query);
    if (again !== undefined) return typeof again === "string" ? again : { created: again };
    return { created: this.#create(def, query, caller) };
  }

  /** Runs the actor's onBeforeCreate before anything is looked up, so that its refusal tells nothing. */
  async #guard(def: AnyActorDefinition, query: KeyQuery, caller: Caller): Promise<void> {
    const hook = def.config.onBeforeCreate!;
    const key = [...query.key];
    const log = this.#logger.child({ actor: query.name, key });
    const input = "input" in query ? copyValue(query.input) : undefined;
    const request = { kind: query.kind, key: [...key], input, params: copyValue(caller.params), request: caller.request };
    const timeout = def.options.onBeforeCreateTimeout;
    try {
      await withTimeout(
        Promise.resolve(hook({ name: query.name, key, log }, request)),
        timeout,
        () =>
          new ActorError("actor", "callback_timed_out", "onBeforeCreate did not finish in time.", { metadata: { hook: "onBeforeCreate" } }),
      );
    } catch (error) {
      const visible = toPublicError(error);
      if (visible !== error) log.error({ err: error }, "onBeforeCreate failed");
      throw visible;
    }
  }

  /** The id of a live actor or of a creation under way with the query's key (refused for `create`). */
  #known(query: ActorQuery & { key: string[] }): string | Promise<string> | undefined {
    // A creation under way first: its actor is live before it is durable.
    const found = this.#creating.get(keyId(query.name, query.key)) ?? this.#activations.liveId(query.name, query.key);
    if (found !== undefined && query.kind === "create") throw errors.duplicateKey(query.name, query.key);
    return found;
  }

  #create(def: AnyActorDefinition, query: KeyQuery, caller: Caller): Promise<string> {
    try {
      caller.admitCreate?.();
    } catch (error) {
      return Promise.reject(error);
    }
    const input = "input" in query ? copyValue(query.input) : undefined;
    const encoded = input === undefined ? undefined : encodeCbor(input);
    if (encoded && encoded.byteLength > MAX_INPUT_BYTES) {
      return Promise.reject(
        new ActorError("actor", "input_too_large", `The create input is ${encoded.byteLength} bytes; the limit is ${MAX_INPUT_BYTES}.`),
      );
    }
    const createdAt = Date.now();
    const record: ActorRecord = {
      id: newActorId(createdAt),
      name: query.name,
      key: query.key,
      createdAt,
      input: encoded,
      epoch: 1,
    };
    const kid = keyId(query.name, query.key);
    const started = this.#activations.create(def, record, input);
    const created: Promise<string> = this.#durable(started, query).finally(() => {
      if (this.#creating.get(kid) === created) this.#creating.delete(kid);
    });
    this.#creating.set(kid, created);
    this.#started.set(created, started);
    // Every caller, this one included, awaits this one promise: they are answered in arrival order.
    return created;
  }

  /**
   * The new actor's id once its record and creation input are committed, whatever its durability
   * option: an id given out must still name the actor after a crash. When another runtime on the
   * same storage created the key first (its insert won), `getOrCreate` answers with that actor.
   */
  async #durable(started: Promise<ActorInstance>, query: KeyQuery): Promise<string> {
    const instance = await started;
    try {
      await instance.flush();
      return instance.id;
    } catch (error) {
      if (query.kind !== "getOrCreate" || !isErrorCode(error, "actor", "duplicate_key")) throw error;
      const winner = await this.#driver.getActorByKey(query.name, query.key);
      if (!winner) throw error;
      return winner.id;
    }
  }
}
