// The client's side of an in-process raw WebSocket (`handle.webSocket()` without a server): a
// browser-like WebSocket over one end of a socket pair. It opens on the next turn, as a socket's
// handshake would, and until then refuses to send, as browsers do.

import { nextTurn } from "../base/timers.ts";
import { RawWebSocket } from "../server/raw-web-socket.ts";
import type { SocketEnd } from "../server/socket-pair.ts";

export class InProcessWebSocket extends RawWebSocket {
  #connecting = true;

  constructor(end: SocketEnd, url: string) {
    super(end, url);
    this.binaryType = "blob"; // a browser's default
    nextTurn(() => {
      this.#connecting = false;
      this.dispatchEvent(new Event("open"));
    });
  }

  override get readyState(): number {
    return this.#connecting ? this.CONNECTING : super.readyState;
  }

  override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    if (this.#connecting) throw new DOMException("The WebSocket is still connecting.", "InvalidStateError");
    super.send(data);
  }
}
