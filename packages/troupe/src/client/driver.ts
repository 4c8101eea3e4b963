// How a client reaches actors: in-process (the registry's host) or over the network.
// Everything in client/ stays browser-safe: no Node modules.

export type ActorQuery =
  | { kind: "get"; name: string; key: string[] }
  | { kind: "getOrCreate"; name: string; key: string[]; input?: unknown }
  | { kind: "create"; name: string; key: string[]; input?: unknown }
  | { kind: "id"; name: string; actorId: string };

export interface CallOptions {
  params?: unknown;
  signal?: AbortSignal;
}

/** Callbacks of one open connection, called by the driver. */
export interface ConnListener {
  open(info: { actorId: string; connId: string }): void;
  event(name: string, args: unknown[]): void;
  error(error: unknown): void;
  close(reason: string): void;
}

/** One connection as the driver holds it. */
export interface DriverConn {
  action(name: string, args: unknown[]): Promise<unknown>;
  subscribe(event: string, subscribed: boolean): void;
  close(): Promise<void>;
}

export interface ClientDriver {
  /** The actor id the query designates, creating the actor for `getOrCreate` and `create`. */
  resolve(query: ActorQuery, options: CallOptions): Promise<string>;
  action(query: ActorQuery, name: string, args: unknown[], options: CallOptions): Promise<unknown>;
  connect(query: ActorQuery, params: unknown, listener: ConnListener): DriverConn;
  dispose(): Promise<void>;
}
