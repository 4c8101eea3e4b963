// Where an actor may run when several hosts share one storage (cluster mode, cluster/): the host
// asks before it starts an instance, and says when one stops. Without it, every actor runs here.

import type { AlarmSource } from "./alarm-clock.ts";

/** Where a call for an actor goes: here (this host holds the actor's lease now), or to another node. */
export type Placement = { kind: "here" } | { kind: "node"; address: string };

/** The node that runs an actor: `here` when it is this host. */
export interface RunningNode {
  id: string;
  address: string;
  here: boolean;
}

export interface Ownership {
  /**
   * Takes the actor's lease for this host before an instance starts (`created`: a new actor whose
   * record is not committed yet). Throws `cluster.owned_elsewhere` when a live node holds it, and
   * `cluster.lease_lost` when this host's own lease has lapsed.
   */
  acquire(actorId: string, created: boolean): Promise<void>;
  /**
   * Where a call for an actor that is not live here should run: here (its lease taken) or on the
   * node that holds it. `fresh`: ask storage, not what this host remembers (the call was forwarded).
   */
  place(actorId: string, fresh?: boolean): Promise<Placement>;
  /** The node that holds each of these actors' leases, for those a live node holds (reads storage; takes nothing). */
  runningNodes(actorIds: string[]): Promise<Map<string, RunningNode>>;
  /** A call sent where the actor was placed found no node there: place it afresh next time. */
  forget(actorId: string): void;
  /** The actor's instance here stopped (or never started): its lease is given up. */
  release(actorId: string): void;
  /** The stored alarms this host may fire: those of actors no other live node holds (reading them takes their leases). */
  readonly alarms: AlarmSource;
  /** Whether this host is leaving the cluster: it takes no new actor. */
  readonly draining: boolean;
  /** What the nodes' forwarded requests carry to be trusted (empty until this host joins). */
  readonly token: string;
}
