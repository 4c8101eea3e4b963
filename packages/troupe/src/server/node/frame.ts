// A whole unmasked WebSocket data frame (RFC 6455 §5.2) as one buffer, as a server sends it: so
// that a frame written to many sockets (a broadcast) is built once, and a socket's frames of one
// tick can be joined into one write.

const TEXT = 0x1;
const BINARY = 0x2;
const FIN = 0x80;

export function dataFrame(data: string | Uint8Array): Buffer {
  const text = typeof data === "string";
  const length = text ? Buffer.byteLength(data, "utf8") : data.byteLength;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = FIN | (text ? TEXT : BINARY);
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  if (text) frame.write(data, header, "utf8");
  else frame.set(data, header);
  return frame;
}
