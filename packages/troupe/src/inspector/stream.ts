// One open live stream (WebSocket /inspector/v1/stream): its filter, the events it passes in
// order with their sequence numbers, and the events it drops while the client reads too slowly.

import type { ObservedActor } from "../actor/observer.ts";
import { type ActorError, toPublicError } from "../base/errors.ts";
import type { ServerSocket } from "../server/socket.ts";
import { wireError } from "../server/http-messages.ts";
import { inspectorErrors } from "./errors.ts";
import { EVENT_KINDS, type EventHub, type EventKind, type StreamEvent, type StreamSubscriber } from "./event-hub.ts";

export interface StreamFilter {
  actors?: readonly string[];
  names?: readonly string[];
  kinds?: readonly EventKind[];
}

/** Past this many bytes waiting in the socket, events are dropped (and counted) rather than queued. */
export const MAX_BUFFERED = 1024 * 1024;
const MAX_CLIENT_MESSAGE = 64 * 1024;

/** The filter in query parameters (`actor`, `name`, `kind`, each repeatable). */
export function filterFromQuery(url: URL): StreamFilter {
  const filter: StreamFilter = {};
  const actors = url.searchParams.getAll("actor");
  const names = url.searchParams.getAll("name");
  const kinds = url.searchParams.getAll("kind");
  if (actors.length > 0) filter.actors = actors;
  if (names.length > 0) filter.names = names;
  if (kinds.length > 0) filter.kinds = checkKinds(kinds, "kind");
  return filter;
}

function checkKinds(kinds: readonly unknown[], param: string): EventKind[] {
  for (const kind of kinds) {
    if (!EVENT_KINDS.includes(kind as EventKind)) {
      throw inspectorErrors.invalidRequest(param, `Unknown event kind ${JSON.stringify(kind)}; the kinds are ${EVENT_KINDS.join(", ")}.`);
    }
  }
  return kinds as EventKind[];
}

function stringList(value: unknown, param: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw inspectorErrors.invalidRequest(param, `\`${param}\` must be an array of strings.`);
  }
  return value;
}

/** The filter of a `filter` message. */
function parseFilter(value: unknown): StreamFilter {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw inspectorErrors.invalidRequest("filter", "`filter` must be an object.");
  }
  const { actors, names, kinds } = value as Record<string, unknown>;
  const filter: StreamFilter = {};
  const a = stringList(actors, "filter.actors");
  const n = stringList(names, "filter.names");
  const k = stringList(kinds, "filter.kinds");
  if (a) filter.actors = a;
  if (n) filter.names = n;
  if (k) filter.kinds = checkKinds(k, "filter.kinds");
  return filter;
}

class Stream implements StreamSubscriber {
  readonly #socket: ServerSocket;
  #actors: ReadonlySet<string> | undefined;
  #names: ReadonlySet<string> | undefined;
  #kinds: ReadonlySet<EventKind> | undefined;
  #filter: StreamFilter = {};
  #seq = 0;
  #dropped = 0;

  constructor(socket: ServerSocket, filter: StreamFilter) {
    this.#socket = socket;
    this.setFilter(filter);
  }

  setFilter(filter: StreamFilter): void {
    this.#filter = filter;
    this.#actors = filter.actors && new Set(filter.actors);
    this.#names = filter.names && new Set(filter.names);
    this.#kinds = filter.kinds && new Set(filter.kinds);
  }

  ready(): void {
    this.#write(JSON.stringify({ type: "ready", version: 1, filter: this.#filter }));
  }

  error(error: ActorError): void {
    this.#write(JSON.stringify({ type: "error", ...wireError(error) }));
  }

  wantsKind(kind: EventKind): boolean {
    return this.#kinds === undefined || this.#kinds.has(kind);
  }

  accepts(kind: EventKind, actor: ObservedActor): boolean {
    return this.wantsKind(kind) && (this.#actors?.has(actor.id) ?? true) && (this.#names?.has(actor.name) ?? true);
  }

  send(event: StreamEvent): void {
    if (!this.#socket.isOpen) return;
    if (this.#socket.bufferedAmount > MAX_BUFFERED) {
      this.#dropped++;
      return;
    }
    if (this.#dropped > 0) {
      this.#write(JSON.stringify({ type: "dropped", count: this.#dropped }));
      this.#dropped = 0;
    }
    this.#write(`{"type":"event","seq":${++this.#seq},${event.json.slice(1)}`);
  }

  #write(text: string): void {
    this.#socket.send(text);
  }
}

/** Serves the stream on an open socket until it closes. */
export function serveStream(socket: ServerSocket, hub: EventHub, filter: StreamFilter): void {
  const stream = new Stream(socket, filter);
  stream.ready();
  const unsubscribe = hub.subscribe(stream);
  socket.onClose(unsubscribe);
  socket.onMessage((data) => {
    try {
      if (typeof data !== "string") throw inspectorErrors.invalidRequest("message", "Stream messages are JSON text frames.");
      if (data.length > MAX_CLIENT_MESSAGE) {
        throw inspectorErrors.invalidRequest("message", `Stream messages are at most ${MAX_CLIENT_MESSAGE} characters.`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        throw inspectorErrors.invalidRequest("message", "A stream message must be JSON.");
      }
      const { type, filter: next } = (parsed ?? {}) as Record<string, unknown>;
      if (type !== "filter")
        throw inspectorErrors.invalidRequest("type", 'The only stream message is { "type": "filter", "filter": {...} }.');
      stream.setFilter(parseFilter(next));
      stream.ready();
    } catch (error) {
      stream.error(toPublicError(error));
    }
  });
}
