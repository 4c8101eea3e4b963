// The shapes the API answers with, as far as the dashboard reads them (docs/inspector.md).

export interface ActorDefinition {
  name: string;
  displayName: string | null;
  icon: string | null;
  actions: string[];
  state: boolean;
  database: boolean;
  workflow: boolean;
  run: boolean;
  queues: string[] | null;
  options: Record<string, unknown>;
}

export interface ActorSummary {
  id: string;
  name: string;
  key: string[];
  createdAt: number | null;
  /** `remote`: awake on another node of the cluster (`node`). */
  status: "starting" | "running" | "stopping" | "asleep" | "remote";
  epoch: number;
  wokenAt: number | null;
  connections: number;
  queueSize: number | null;
  nextAlarm: number | null;
  /** In a cluster, the node that runs the actor. */
  node: { id: string; address: string; here: boolean } | null;
}

export interface StreamEvent {
  type: "event";
  seq: number;
  at: number;
  kind: string;
  event: string;
  actor: { id: string; name: string; key: string[] };
  data: Record<string, unknown>;
}

export interface StateChange {
  path: string;
  op: "add" | "remove" | "replace";
  old?: unknown;
  new?: unknown;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
