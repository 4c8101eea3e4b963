// What the server needs of one accepted WebSocket, whatever runtime accepted it: each runtime's
// adapter (server/node/ for Node's `ws`) provides a ServerSocket, and everything in server/ uses it.

/** One accepted server-side WebSocket. */
export interface ServerSocket {
  /** The subprotocol selected in the handshake; "" for none. */
  readonly protocol: string;
  /** Whether frames can still be sent: false from the start of the close handshake on. */
  readonly isOpen: boolean;
  /** Bytes queued for sending and not yet written. */
  readonly bufferedAmount: number;
  /**
   * Sends a text frame (a string) or a binary frame, in order. Ignored once the socket is not open.
   * An adapter may hold frames until the end of the tick to write them together.
   */
  send(data: string | Uint8Array): void;
  /** Starts the close handshake; `reason` is at most 123 bytes (see closeReason). */
  close(code?: number, reason?: string): void;
  /**
   * Sets the one listener for incoming frames: text as a string, binary as bytes the listener may
   * keep (possibly a view of a larger buffer, which nothing writes to again).
   */
  onMessage(listener: (data: string | Uint8Array<ArrayBuffer>) => void): void;
  /** Sets the one listener for the end of the connection, called once. */
  onClose(listener: (code: number, reason: string) => void): void;
  /** Holds incoming frames and the end of the connection until `resume`, then delivers them in order. */
  pause(): void;
  resume(): void;
}

/** Close reasons are limited to 123 bytes by the WebSocket protocol. */
export function closeReason(reason: string): string {
  const bytes = new TextEncoder().encode(reason);
  return bytes.byteLength <= 123 ? reason : new TextDecoder().decode(bytes.slice(0, 120));
}
