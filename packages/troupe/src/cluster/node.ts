// This process as a node of a cluster (docs/cluster.md): it joins the nodes table with its address,
// renews its lease at a third of its time to live (one statement renews every actor lease it holds),
// takes an actor's lease before running it and gives it up when the actor stops. A node that cannot
// renew stops its actors before its lease can lapse (self-fencing); one that finds its lease lapsed
// all the same (it was paused) stops them at once and rejoins under a new id.

import type { Logger } from "pino";
import { ActorError } from "../base/errors.ts";
import { nextTurn, type Timer, unrefTimeout } from "../base/timers.ts";
import type { AlarmSource } from "../host/alarm-clock.ts";
import type { Ownership, Placement, RunningNode } from "../host/ownership.ts";
import type { ClusterStore, NodeInfo } from "../storage/cluster-store.ts";

/** What the node needs of the host whose actors it places. */
export interface ClusterHost {
  fence(error: Error): number;
  rescanAlarms(): void;
}

export interface ClusterNodeOptions {
  /** Opens the node's connections to the cluster's storage (when it joins). */
  openStore: () => Promise<ClusterStore>;
  /** How long a node's lease (and every actor lease it holds) lasts without a renewal. */
  leaseMs: number;
  logger: Logger;
}

type State = "idle" | "live" | "lapsed" | "draining" | "left";

/** The part of the lease after the last renewal was sent at which a node that could not renew stops its actors. */
const FENCE_AT = 0.75;
/** How many alarms one claim takes. */
const CLAIM_BATCH = 64;
/** Remembered owners of actors that run elsewhere, at most; past it the memory starts over. */
const OWNERS_CACHED = 100_000;

export class ClusterNode implements Ownership {
  readonly #openStore: () => Promise<ClusterStore>;
  #store!: ClusterStore;
  readonly #leaseMs: number;
  readonly #logger: Logger;
  #host: ClusterHost | undefined;
  #address = "";
  #id = "";
  #token = "";
  #state: State = "idle";
  /** Settled by the first join: calls that arrive earlier wait for it. */
  #joined: Promise<void>;
  readonly #settleJoin: { resolve: () => void; reject: (error: unknown) => void };
  /** Whether the node is draining: it takes no new actor, and its health check says so. */
  get draining(): boolean {
    return this.#state === "draining" || this.#state === "left";
  }

  /** Actors whose lease this node holds. */
  readonly #held = new Set<string>();
  readonly #acquiring = new Map<string, Promise<void>>();
  /** Releases not yet sent, and those in flight by actor. */
  #toRelease = new Set<string>();
  readonly #releasing = new Map<string, Promise<void>>();
  #nodes: NodeInfo[] = [];
  /**
   * Where actors that run elsewhere ran when last asked, so that calls for them are forwarded
   * without a statement each. Kept a third of a lease at most, and forgotten when their node
   * leaves; a stale entry costs one more hop (the old node forwards the call on), never a wrong answer.
   */
  #owners = new Map<string, { address: string; node: string; until: number }>();
  #renewTimer: Timer | undefined;
  #fenceTimer: Timer | undefined;
  readonly alarms: AlarmSource;

  constructor(options: ClusterNodeOptions) {
    this.#openStore = options.openStore;
    let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
    this.#joined = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    this.#settleJoin = settle!;
    // Calls that come before the join wait for it; one that fails is reported by join() itself.
    this.#joined.catch(() => {});
    this.#leaseMs = options.leaseMs;
    this.#logger = options.logger;
    this.alarms = {
      dueAlarms: (upTo, limit) => this.#claimDue(upTo, limit),
      nextAlarm: () => (this.#state === "live" ? this.#store.nextClaimable(this.#id) : Promise.resolve(undefined)),
    };
  }

  /** The URL this node advertises to the others (empty until it joins). */
  get address(): string {
    return this.#address;
  }

  /** This node's id (a new one after each rejoin). */
  get id(): string {
    return this.#id;
  }

  /** The cluster's token, which forwarded requests carry; empty until the node joins. */
  get token(): string {
    return this.#token;
  }

  /** The live nodes, as of the last renewal. */
  get nodes(): readonly NodeInfo[] {
    return this.#nodes;
  }

  /** Joins the cluster, advertising `address` for the requests other nodes forward here. */
  async join(host: ClusterHost, address: string): Promise<void> {
    this.#host = host;
    this.#address = address;
    try {
      this.#store = await this.#openStore();
      await this.#register();
      this.#settleJoin.resolve();
    } catch (error) {
      this.#settleJoin.reject(error);
      throw error;
    }
  }

  async #register(): Promise<void> {
    const id = crypto.randomUUID();
    const sentAt = performance.now();
    this.#token = await this.#store.register(id, this.#address, this.#leaseMs);
    this.#id = id;
    this.#state = "live";
    this.#renewed(sentAt);
    // Renewed at once, which also reads which other nodes are live: a node that drains early forwards to them.
    void this.#renew();
    this.#logger.info({ node: id, address: this.#address }, "joined the cluster");
    this.#host?.rescanAlarms();
  }

  // ---- the node's lease ----

  #renewed(sentAt: number): void {
    this.#fenceTimer?.cancel();
    const fenceIn = sentAt + this.#leaseMs * FENCE_AT - performance.now();
    this.#fenceTimer = unrefTimeout(() => this.#lapse("it could not renew its lease in time"), fenceIn);
    this.#renewTimer?.cancel();
    this.#renewTimer = unrefTimeout(() => void this.#renew(), this.#leaseMs / 3);
  }

  async #renew(): Promise<void> {
    if (this.#state !== "live" && this.#state !== "draining") return;
    const id = this.#id;
    const sentAt = performance.now();
    try {
      const renewal = await this.#store.renew(id, this.#leaseMs, this.#state === "draining");
      if (id !== this.#id || (this.#state !== "live" && this.#state !== "draining")) return;
      if (!renewal.renewed) {
        this.#lapse("its lease had lapsed (was the process paused?)");
        return;
      }
      const before = new Set(this.#nodes.map((node) => node.id));
      this.#nodes = renewal.nodes;
      // A node that left the list left its actors' alarms for the others to fire.
      for (const node of renewal.nodes) before.delete(node.id);
      if (before.size > 0) {
        this.#host?.rescanAlarms();
        for (const [actorId, owner] of this.#owners) if (before.has(owner.node)) this.#owners.delete(actorId);
      }
      this.#renewed(sentAt);
    } catch (error) {
      this.#logger.warn({ err: error, node: id }, "could not renew the cluster lease; retrying");
      this.#renewTimer = unrefTimeout(() => void this.#renew(), this.#leaseMs / 6);
    }
  }

  /** Stops every actor of this node (it may no longer run them), then rejoins under a new id. */
  #lapse(why: string): void {
    if (this.#state !== "live" && this.#state !== "draining") return;
    this.#state = "lapsed";
    this.#renewTimer?.cancel();
    this.#fenceTimer?.cancel();
    this.#held.clear();
    this.#owners.clear();
    this.#toRelease.clear();
    const stopped = this.#host?.fence(leaseLost()) ?? 0;
    this.#logger.warn({ node: this.#id }, `cluster lease lost: ${why}; stopped ${stopped} actors, rejoining`);
    void this.#rejoin();
  }

  async #rejoin(): Promise<void> {
    while (this.#state === "lapsed") {
      try {
        await this.#register();
        return;
      } catch (error) {
        this.#logger.warn({ err: error }, "could not rejoin the cluster; retrying");
        await new Promise((resolve) => unrefTimeout(() => resolve(undefined), this.#leaseMs / 3));
      }
    }
  }

  // ---- actor leases ----

  async acquire(actorId: string, created: boolean): Promise<void> {
    await this.#joined;
    this.#assertLive();
    if (this.#held.has(actorId) && !this.#toRelease.has(actorId)) return;
    // A draining node starts no actor: calls from outside were placed on another node already.
    if (this.#state === "draining") {
      throw new ActorError("cluster", "owned_elsewhere", `This node is leaving the cluster and starts no actor. Retry the call.`, {
        metadata: { actorId },
      });
    }
    let acquiring = this.#acquiring.get(actorId);
    if (acquiring === undefined) {
      acquiring = this.#take(actorId, created).finally(() => this.#acquiring.delete(actorId));
      this.#acquiring.set(actorId, acquiring);
    }
    await acquiring;
  }

  async #take(actorId: string, created: boolean): Promise<void> {
    // Given up a moment ago: taken again only once the release has landed, or it would undo this.
    this.#toRelease.delete(actorId);
    await this.#releasing.get(actorId);
    const id = this.#id;
    const result = await this.#store.acquire(actorId, id, !created);
    if (id !== this.#id) throw leaseLost();
    if (result.kind === "taken") this.#held.add(actorId);
    else if (result.kind === "elsewhere") throw new OwnedElsewhere(actorId, result.node.address, result.node.id);
    else if (result.kind === "lapsed") {
      this.#lapse("its lease had lapsed (was the process paused?)");
      throw leaseLost();
    }
    // "missing": the caller's read of the record finds no actor, and says so.
  }

  async place(actorId: string, fresh = false): Promise<Placement> {
    await this.#joined;
    if (this.#state === "draining" || this.#state === "left") {
      await this.#releasing.get(actorId);
      const other = this.#nodes.filter((node) => node.id !== this.#id && !node.draining);
      const node = other[Math.floor(Math.random() * other.length)];
      if (node) return { kind: "node", address: node.address };
    }
    // A call another node forwarded here was placed by what that node remembered: look afresh.
    const known = fresh ? undefined : this.#owners.get(actorId);
    if (known !== undefined && known.until > performance.now() && this.#state === "live") return { kind: "node", address: known.address };
    try {
      await this.acquire(actorId, false);
      this.#owners.delete(actorId);
      return { kind: "here" };
    } catch (error) {
      if (!(error instanceof OwnedElsewhere)) throw error;
      if (this.#owners.size >= OWNERS_CACHED) this.#owners = new Map();
      this.#owners.set(actorId, { address: error.address, node: error.node, until: performance.now() + this.#leaseMs / 3 });
      return { kind: "node", address: error.address };
    }
  }

  async runningNodes(actorIds: string[]): Promise<Map<string, RunningNode>> {
    await this.#joined;
    const holders = await this.#store.holders(actorIds);
    const nodes = new Map<string, RunningNode>();
    for (const [actorId, node] of holders) nodes.set(actorId, { id: node.id, address: node.address, here: node.id === this.#id });
    return nodes;
  }

  /** A call forwarded where this node remembered the actor found no one there: the next call looks afresh. */
  forget(actorId: string): void {
    this.#owners.delete(actorId);
  }

  release(actorId: string): void {
    if (!this.#held.has(actorId) || this.#toRelease.has(actorId)) return;
    // Gathered over one turn: actors that sleep together are released by one statement.
    if (this.#toRelease.size === 0) nextTurn(() => this.#flushReleases());
    this.#toRelease.add(actorId);
  }

  #flushReleases(): void {
    const ids = [...this.#toRelease];
    this.#toRelease = new Set();
    if (ids.length === 0) return;
    for (const actorId of ids) this.#held.delete(actorId);
    // A failed release is harmless: the lease stays this node's, and calls for the actor come here.
    const released = this.#store.release(ids, this.#id).catch((error: unknown) => {
      this.#logger.warn({ err: error, actors: ids.length }, "could not release actor leases; they stay with this node");
    });
    for (const actorId of ids) this.#releasing.set(actorId, released);
    void released.finally(() => {
      for (const actorId of ids) if (this.#releasing.get(actorId) === released) this.#releasing.delete(actorId);
    });
  }

  async #claimDue(upTo: number, limit: number): Promise<Array<{ actorId: string }>> {
    if (this.#state !== "live") return [];
    const id = this.#id;
    const claimed = await this.#store.claimDue(upTo, id, Math.min(limit, CLAIM_BATCH));
    if (id !== this.#id) return [];
    for (const actorId of claimed) this.#held.add(actorId);
    return claimed.map((actorId) => ({ actorId }));
  }

  #assertLive(): void {
    if (this.#state === "lapsed") throw leaseLost();
    // A node that left: the call was not applied, and any other node takes it.
    if (this.#state === "left") throw new ActorError("cluster", "owned_elsewhere", "This node has left the cluster. Retry the call.");
    if (this.#state === "idle") throw new ActorError("registry", "shut_down", "This node is not in the cluster.");
  }

  // ---- leaving ----

  /** New actors go to the other nodes from now on; the ones running here keep running until they stop. */
  async startDrain(): Promise<void> {
    if (this.#state !== "live") return;
    this.#state = "draining";
    await this.#store.drain(this.#id).catch((error: unknown) => this.#logger.warn({ err: error }, "could not mark the node draining"));
  }

  /** Leaves the cluster: gives up every lease left and the node's row, and closes the connections. */
  async leave(): Promise<void> {
    const id = this.#id;
    const was = this.#state;
    if (was === "idle") this.#settleJoin.reject(new ActorError("registry", "shut_down", "The registry has been shut down."));
    this.#state = "left";
    this.#renewTimer?.cancel();
    this.#fenceTimer?.cancel();
    if (was === "live" || was === "draining") {
      this.#flushReleases();
      await Promise.all(this.#releasing.values());
      await this.#store.leave(id).catch((error: unknown) => this.#logger.warn({ err: error }, "could not leave the cluster cleanly"));
    }
    await this.#store?.close();
  }
}

function leaseLost(): ActorError {
  return new ActorError(
    "cluster",
    "lease_lost",
    "This node lost its cluster lease and stopped its actors; it is rejoining. Retry the call (any node can take it).",
  );
}

/** Another node holds the actor's lease; where it is stays out of what clients see. */
class OwnedElsewhere extends ActorError {
  readonly address: string;
  readonly node: string;

  constructor(actorId: string, address: string, node: string) {
    super("cluster", "owned_elsewhere", `Actor ${actorId} runs on another node of the cluster. Retry the call.`, { metadata: { actorId } });
    this.address = address;
    this.node = node;
  }
}
