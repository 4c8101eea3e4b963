// How a client reaches actors: in-process (the registry's host) or over the network.
// Everything in client/ stays browser-safe: no Node modules.

export type ActorQuery =
  | { kind: "get"; name: string; key: string[] }
  | { kind: "getOrCreate"; name: string; key: string[]; input?: unknown }
  | { kind: "create"; name: string; key: string[]; input?: unknown }
  | { kind: "id"; name: string; actorId: string };

export interface CallOptions {
  params?: unknown;
  /** Computes the params for each call and each (re)connection; wins over `params`. */
  getParams?: () => unknown;
  signal?: AbortSignal;
}

/** Callbacks of one connection, called by the driver. */
export interface ConnListener {
  open(info: { actorId: string; connId: string }): void;
  event(name: string, args: unknown[]): void;
  error(error: unknown): void;
  /** The connection closed; `reconnecting` when the driver is going to open it again. */
  close(reason: string, reconnecting: boolean): void;
  /** The driver is opening the connection again after a close. */
  connecting(): void;
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
  connect(query: ActorQuery, options: CallOptions, listener: ConnListener): DriverConn;
  /** A raw HTTP request to the actor's `onRequest`; `path` is relative to the actor. */
  fetch(query: ActorQuery, path: string, init: RequestInit | undefined, options: CallOptions): Promise<Response>;
  /** A raw WebSocket to the actor's `onWebSocket`. */
  webSocket(query: ActorQuery, path: string, protocols: string[], options: CallOptions): Promise<WebSocket>;
  dispose(): Promise<void>;
}
