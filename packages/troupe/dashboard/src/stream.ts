// The live event stream (GET /inspector/v1/stream over WebSocket): the token travels as a
// subprotocol, as browsers cannot set headers on a WebSocket. Reconnects with backoff while open.

import { API_BASE } from "./api.ts";
import { currentToken } from "./token.ts";
import type { StreamEvent } from "./types.ts";

export interface StreamFilter {
  actors?: string[];
  kinds?: string[];
}

export type StreamStatus = "connecting" | "live" | "closed";

function base64url(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");
}

export class EventStream {
  #socket: WebSocket | undefined;
  #closed = false;
  #delay = 250;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly filter: StreamFilter,
    readonly onEvent: (event: StreamEvent) => void,
    readonly onStatus: (status: StreamStatus, dropped?: number) => void = () => {},
  ) {
    this.#open();
  }

  #open(): void {
    const url = new URL("stream", API_BASE);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    for (const id of this.filter.actors ?? []) url.searchParams.append("actor", id);
    for (const kind of this.filter.kinds ?? []) url.searchParams.append("kind", kind);
    this.onStatus("connecting");
    const socket = new WebSocket(url, ["troupe.inspector.v1", `troupe.inspector.token.${base64url(currentToken() ?? "")}`]);
    this.#socket = socket;
    socket.onmessage = (message) => {
      const data = JSON.parse(String(message.data)) as { type: string; count?: number };
      if (data.type === "ready") {
        this.#delay = 250;
        this.onStatus("live");
      } else if (data.type === "event") this.onEvent(data as StreamEvent);
      else if (data.type === "dropped") this.onStatus("live", data.count);
    };
    socket.onclose = () => {
      if (this.#closed) return;
      this.onStatus("closed");
      this.#timer = setTimeout(() => this.#open(), this.#delay);
      this.#delay = Math.min(this.#delay * 2, 5_000);
    };
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#socket?.close();
  }
}
