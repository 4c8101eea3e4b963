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
  status: "starting" | "running" | "stopping" | "asleep";
  epoch: number;
  wokenAt: number | null;
  connections: number;
  queueSize: number | null;
  nextAlarm: number | null;
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
