// The actor host: owns this process's live instances. It resolves names and keys to ids,
// activates actors on demand (at most one live instance each), and routes calls to them.

import type { Logger } from "pino";
import { Conn, type ConnSink } from "../actor/conn.ts";
import { copyValue } from "../actor/copy.ts";
import type { AnyActorDefinition } from "../actor/definition.ts";
import { ActorInstance, type InstanceHost, type StopKind } from "../actor/instance.ts";
import { assertHandler, handleRequest, handleWebSocket } from "../actor/raw-handlers.ts";
import { keyId } from "../protocol/keys.ts";
import type { ActorQuery, SendResult } from "../protocol/query.ts";
import { encodeCbor } from "../base/cbor.ts";
import { ActorError, errors, isErrorCode } from "../base/errors.ts";
import { type ClientSendOptions, sendFromClient } from "../features/queue/send.ts";
import type { ActorRecord, StorageDriver } from "../storage/driver.ts";
import { AlarmClock } from "./alarm-clock.ts";
import { CommitQueue } from "./commit-queue.ts";
import { SleepScheduler } from "./sleep-scheduler.ts";

export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

export interface HostOptions {
  driver: StorageDriver;
  definitions: Readonly<Record<string, AnyActorDefinition>>;
  logger: Logger;
  /** The in-process client handed to actors by `c.client()`. */
  client: () => unknown;
}

export class ActorHost implements InstanceHost {
  readonly driver: StorageDriver;
  readonly logger: Logger;
  readonly definitions: Readonly<Record<string, AnyActorDefinition>>;
  readonly #client: () => unknown;
  readonly #instances = new Map<string, ActorInstance>();
  readonly #starting = new Map<string, Promise<ActorInstance>>();
  readonly #creating = new Map<string, Promise<string>>();
  readonly #liveKeys = new Map<string, string>();
  readonly #conns = new Map<string, Map<string, Conn>>();
  readonly #commits: CommitQueue;
  readonly #sleeper = new SleepScheduler();
  readonly #alarms: AlarmClock;
  /** Earliest alarm of each awake actor that has one. */
  readonly #awakeAlarms = new Map<string, number>();
  #closed = false;

  constructor(options: HostOptions) {
    this.driver = options.driver;
    this.logger = options.logger;
    this.definitions = options.definitions;
    this.#client = options.client;
    this.#commits = new CommitQueue(options.driver, options.logger);
    this.#alarms = new AlarmClock(
      options.driver,
      (actorId, now) => this.#fireAlarm(actorId, now),
      () => [...this.#awakeAlarms],
    );
    this.#alarms.start().catch((error: unknown) => this.logger.error({ err: error }, "could not read stored alarms"));
  }

  client(): unknown {
    return this.#client();
  }

  /** Live instances (awake, starting or stopping), for tests and the inspector. */
  get instances(): ReadonlyMap<string, ActorInstance> {
    return this.#instances;
  }

  definition(name: string): AnyActorDefinition {
    const def = Object.hasOwn(this.definitions, name) ? this.definitions[name] : undefined;
    if (!def) {
      throw new ActorError("actor", "not_registered", `No actor named "${name}" is registered.`, {
        metadata: { name, registered: Object.keys(this.definitions) },
      });
    }
    return def;
  }

  // ---- resolution ----

  async resolve(query: ActorQuery): Promise<string> {
    this.#assertOpen();
    const def = this.definition(query.name);
    if (query.kind === "id") {
      if (this.#instances.get(query.actorId)?.name === query.name) return query.actorId;
      const record = await this.driver.getActorById(query.actorId);
      if (!record || record.name !== query.name) throw errors.notFound(`${query.name} with id ${query.actorId}`);
      return record.id;
    }
    const kid = keyId(query.name, query.key);
    const live = this.#liveKeys.get(kid);
    if (live !== undefined) {
      if (query.kind === "create") throw errors.duplicateKey(query.name, query.key);
      return live;
    }
    const creating = this.#creating.get(kid);
    if (creating) {
      if (query.kind === "create") throw errors.duplicateKey(query.name, query.key);
      return creating;
    }
    if (query.kind === "get" || query.kind === "getOrCreate") {
      const record = await this.driver.getActorByKey(query.name, query.key);
      if (record) return record.id;
      if (query.kind === "get") throw errors.notFound(`${query.name} with key ${JSON.stringify(query.key)}`);
    } else if (await this.driver.getActorByKey(query.name, query.key)) {
      throw errors.duplicateKey(query.name, query.key);
    }
    // Another call may have started creating it while we looked in storage. No await may come
    // between these checks and #create registering the new actor, or two calls could both create.
    const raced = this.#liveKeys.get(kid);
    const racing = this.#creating.get(kid);
    if (raced !== undefined || racing !== undefined) {
      if (query.kind === "create") throw errors.duplicateKey(query.name, query.key);
      return raced ?? (racing as Promise<string>);
    }
    return this.#create(def, query, kid);
  }

  async #create(def: AnyActorDefinition, query: ActorQuery & { key: string[] }, kid: string): Promise<string> {
    const input = "input" in query ? copyValue(query.input) : undefined;
    const encoded = input === undefined ? undefined : encodeCbor(input);
    if (encoded && encoded.byteLength > MAX_INPUT_BYTES) {
      throw new ActorError("actor", "input_too_large", `The create input is ${encoded.byteLength} bytes; the limit is ${MAX_INPUT_BYTES}.`);
    }
    const record: ActorRecord = {
      id: crypto.randomUUID(),
      name: query.name,
      key: query.key,
      createdAt: Date.now(),
      input: encoded,
      epoch: 1,
    };
    const instance = new ActorInstance(this, def, record, undefined);
    this.#instances.set(record.id, instance);
    this.#liveKeys.set(kid, record.id);
    const started = instance.start({ kind: "create", record, input });
    const created = started.then(() => record.id);
    const activated = started.then(() => instance);
    // Only concurrent callers await these; this call reports a failed start itself, so a failure
    // nobody else waited for must not surface as an unhandled rejection.
    created.catch(() => {});
    activated.catch(() => {});
    this.#creating.set(kid, created);
    this.#starting.set(record.id, activated);
    try {
      await started;
      // An explicit create is acknowledged only once the new actor is durable.
      if (query.kind === "create") await instance.whenDurable();
      return record.id;
    } catch (error) {
      this.#forget(instance);
      throw error;
    } finally {
      this.#creating.delete(kid);
      this.#starting.delete(record.id);
    }
  }

  // ---- activation ----

  /** The running instance of `actorId`, woken if it sleeps. */
  async instance(actorId: string): Promise<ActorInstance> {
    for (;;) {
      this.#assertOpen();
      const live = this.#instances.get(actorId);
      if (live?.status === "running") return live;
      const starting = this.#starting.get(actorId);
      if (starting) {
        await starting;
        continue;
      }
      if (live?.status === "stopping" || live?.status === "stopped") {
        await live.stop(live.stopKind ?? "sleep");
        this.#forget(live);
        continue;
      }
      const activation = this.#wake(actorId);
      this.#starting.set(actorId, activation);
      try {
        return await activation;
      } finally {
        this.#starting.delete(actorId);
      }
    }
  }

  async #wake(actorId: string): Promise<ActorInstance> {
    const record = await this.driver.getActorById(actorId);
    if (!record) throw errors.notFound(`id ${actorId}`);
    const def = this.definition(record.name);
    const instance = new ActorInstance(this, def, record, this.#conns.get(actorId));
    this.#instances.set(actorId, instance);
    this.#liveKeys.set(keyId(record.name, record.key), actorId);
    try {
      await instance.start({ kind: "wake", record });
    } catch (error) {
      this.#forget(instance);
      throw error;
    }
    return instance;
  }

  /** Runs `fn` on the live instance, retrying on a fresh one if this one was stopping. */
  async #withInstance<T>(actorId: string, fn: (instance: ActorInstance) => Promise<T>): Promise<T> {
    for (;;) {
      const instance = await this.instance(actorId);
      try {
        return await fn(instance);
      } catch (error) {
        if (isErrorCode(error, "actor", "stopping") && instance.status !== "running") continue;
        throw error;
      }
    }
  }

  // ---- calls ----

  /** Calls an action on `conn`, or statelessly (`request` is the HTTP request, if any, for `c.request`). */
  async action(actorId: string, name: string, args: unknown[], params: unknown, conn?: Conn, request?: Request): Promise<unknown> {
    const copied = copyValue(args);
    return this.#withInstance(actorId, async (instance) => {
      if (conn) return instance.invoke(name, copied, conn);
      return this.#ephemeral(instance, params, request, (ephemeral) => instance.invoke(name, copied, ephemeral));
    });
  }

  /**
   * Sends `body` to the actor's queue `name` on `conn`, or statelessly; wakes a sleeping actor and
   * resolves once the message is durable. With `wait`, resolves with its completion (queue/send.ts).
   */
  async send(
    actorId: string,
    name: string,
    body: unknown,
    options: ClientSendOptions,
    params: unknown,
    conn?: Conn,
    request?: Request,
  ): Promise<SendResult | undefined> {
    const copied = copyValue(body);
    const sent = await this.#withInstance(actorId, (instance) => {
      if (conn) return sendFromClient(instance, conn, name, copied, options);
      return this.#ephemeral(instance, params, request, (ephemeral) => sendFromClient(instance, ephemeral, name, copied, options));
    });
    return sent.completion;
  }

  /** A raw HTTP request for the actor's `onRequest`. */
  request(actorId: string, request: Request, params: unknown): Promise<Response> {
    return this.#withInstance(actorId, (instance) => {
      assertHandler(instance, "onRequest");
      return this.#ephemeral(instance, params, request, (conn) => handleRequest(instance, conn, request));
    });
  }

  /** A raw WebSocket for the actor's `onWebSocket`; it is one of `c.conns` while open. */
  async webSocket(actorId: string, socket: WebSocket, request: Request, params: unknown): Promise<void> {
    await this.#withInstance(actorId, async (instance) => {
      assertHandler(instance, "onWebSocket");
      // Raw sockets take no events; closing the conn (destroy, conn.disconnect) closes the socket.
      const sink: ConnSink = { event: () => {}, close: (reason) => socket.close(1000, reason) };
      const conn = new Conn(crypto.randomUUID(), copyValue(params), undefined, sink, request);
      await instance.connect(conn, sink);
      await handleWebSocket(instance, conn, socket);
    });
  }

  // A stateless call gets a connection of its own for the duration of the call.
  async #ephemeral<T>(instance: ActorInstance, params: unknown, request: Request | undefined, fn: (conn: Conn) => Promise<T>): Promise<T> {
    const ephemeral = new Conn(crypto.randomUUID(), params, undefined, undefined, request);
    if (!instance.def.hasConnHooks) return fn(ephemeral);
    await instance.connect(ephemeral, undefined);
    try {
      return await fn(ephemeral);
    } finally {
      await instance.disconnect(ephemeral, "call finished");
    }
  }

  async connect(actorId: string, params: unknown, sink: ConnSink, request?: Request): Promise<Conn> {
    const conn = new Conn(crypto.randomUUID(), copyValue(params), undefined, sink, request);
    await this.#withInstance(actorId, (instance) => instance.connect(conn, sink));
    return conn;
  }

  /** Subscribes a connection to an event (or unsubscribes it); refused with `auth.forbidden` by canSubscribe. */
  subscribe(actorId: string, conn: Conn, event: string, subscribed: boolean): Promise<void> {
    return this.#withInstance(actorId, (instance) => instance.subscribe(conn, event, subscribed));
  }

  async disconnect(actorId: string, conn: Conn, reason: string): Promise<void> {
    const registry = this.#conns.get(actorId);
    if (!registry?.has(conn.id)) return;
    try {
      await this.#withInstance(actorId, (instance) => instance.disconnect(conn, reason));
    } catch (error) {
      if (!isErrorCode(error, "actor", "not_found")) throw error;
    }
  }

  // ---- InstanceHost ----

  requestCommit(instance: ActorInstance): void {
    this.#commits.enqueue(instance);
  }

  alarmChanged(instance: ActorInstance, at: number | undefined): void {
    if (at === undefined) this.#awakeAlarms.delete(instance.id);
    else {
      this.#awakeAlarms.set(instance.id, at);
      this.#alarms.hint(at);
    }
  }

  async #fireAlarm(actorId: string, now: number): Promise<void> {
    try {
      await this.#withInstance(actorId, (instance) => instance.runAlarms(now));
    } catch (error) {
      // A destroyed actor's alarm went with it; anything else is worth a log line.
      if (!isErrorCode(error, "actor", "not_found") && !isErrorCode(error, "registry", "shut_down")) {
        this.logger.error({ err: error, actorId }, "alarm failed");
      }
    }
  }

  markIdle(instance: ActorInstance): void {
    if (!this.#closed) this.#sleeper.markIdle(instance);
  }

  stopped(instance: ActorInstance, kind: StopKind): void {
    this.#forget(instance);
    this.#sleeper.forget(instance);
    this.#awakeAlarms.delete(instance.id);
    // A sleeping actor keeps only the connections that stay open across its sleep.
    if (kind === "destroy" || this.#conns.get(instance.id)?.size === 0) this.#conns.delete(instance.id);
  }

  #forget(instance: ActorInstance): void {
    if (this.#instances.get(instance.id) !== instance) return;
    this.#instances.delete(instance.id);
    const kid = keyId(instance.name, instance.key);
    if (this.#liveKeys.get(kid) === instance.id) this.#liveKeys.delete(kid);
  }

  connections(actorId: string): Map<string, Conn> {
    let conns = this.#conns.get(actorId);
    if (!conns) {
      conns = new Map();
      this.#conns.set(actorId, conns);
    }
    return conns;
  }

  #assertOpen(): void {
    if (this.#closed) throw new ActorError("registry", "shut_down", "The registry has been shut down.");
  }

  // ---- shutdown ----

  /** Stops at once as a crash would: no hooks, no final saves; pending writes are lost. */
  async abandon(): Promise<void> {
    this.#closed = true;
    this.#sleeper.clear();
    this.#alarms.close();
    for (const instance of this.#instances.values()) instance.abandon();
    this.#instances.clear();
    await this.driver.close();
  }

  /** Sleeps every live actor (hooks run, state saved), then closes storage. */
  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#sleeper.clear();
    this.#alarms.close();
    await Promise.all([...this.#starting.values()].map((p) => p.catch(() => undefined)));
    await Promise.all([...this.#instances.values()].map((instance) => instance.stop(instance.stopKind ?? "sleep")));
    await this.#commits.settled();
    await this.driver.close();
  }
}
