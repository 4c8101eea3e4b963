// What cluster mode needs of its storage: nodes with leases judged by the storage's clock, and
// actor leases held by nodes (docs/cluster.md). Only the PostgreSQL driver provides it.

export interface NodeInfo {
  id: string;
  /** The base URL other nodes forward requests to. */
  address: string;
  draining: boolean;
}

export interface Renewal {
  /** False once this node's lease has lapsed: it may run no actor, and must rejoin under a new id. */
  renewed: boolean;
  /** The live nodes (this one included when renewed). */
  nodes: NodeInfo[];
}

export type Acquisition =
  /** This node holds the actor's lease now. */
  | { kind: "taken" }
  /** A live node holds it. */
  | { kind: "elsewhere"; node: NodeInfo }
  /** The actor does not exist (asked with `mustExist`). */
  | { kind: "missing" }
  /** This node's own lease has lapsed. */
  | { kind: "lapsed" };

export interface NodeStatus extends NodeInfo {
  startedAt: Date;
  heartbeatAt: Date;
  /** Until the node's lease expires, by the storage's clock; negative once it has. */
  remainingMs: number;
  /** Actor leases it holds (its live actors). */
  actors: number;
}

export interface ClusterStatus {
  nodes: NodeStatus[];
  actors: number;
  leases: number;
  dueAlarms: number;
}

export interface ClusterStore {
  /** Adds a live node; returns the cluster's token (the same for every node). */
  register(nodeId: string, address: string, leaseMs: number): Promise<string>;
  renew(nodeId: string, leaseMs: number, draining: boolean): Promise<Renewal>;
  acquire(actorId: string, nodeId: string, mustExist: boolean): Promise<Acquisition>;
  release(actorIds: string[], nodeId: string): Promise<void>;
  /** Takes the leases of actors with alarms due at `upTo` that no other live node holds; returns their ids. */
  claimDue(upTo: number, nodeId: string, limit: number): Promise<string[]>;
  /** The earliest alarm that this node could claim. */
  nextClaimable(nodeId: string): Promise<number | undefined>;
  drain(nodeId: string): Promise<void>;
  leave(nodeId: string): Promise<void>;
  /** The live node that holds each of these actors' leases (actors that none holds are left out). */
  holders(actorIds: string[]): Promise<Map<string, NodeInfo>>;
  status(): Promise<ClusterStatus>;
  close(): Promise<void>;
}
