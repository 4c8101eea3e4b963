// CBOR encoding of user values (state, inputs, payloads): keeps Map, Set, Date, bigint,
// typed arrays and undefined intact across a round trip.

// The pure JavaScript build: importing troupe loads no native module. Under Node, the server
// adapter loads cbor-x's native string extractor (server/node/serve.ts), which this shares.
import { Encoder, type Options } from "cbor-x/encode";

// `useTag259ForMaps` is supported by cbor-x but missing from its type definitions.
const options = { useRecords: false, mapsAsObjects: true, useTag259ForMaps: true, tagUint8Array: true } as Options;
const encoder = new Encoder(options);

export function encodeCbor(value: unknown): Uint8Array {
  return encoder.encode(value);
}

export function decodeCbor(bytes: Uint8Array): unknown {
  return encoder.decode(bytes);
}

const copying = new Encoder({ ...options, copyBuffers: true });

/**
 * For bytes the caller does not own, such as a view of the buffer a socket read a frame into: the
 * byte strings of the value are copies, so that it keeps nothing of `bytes` (decodeCbor returns
 * views of them), and `bytes` need not be copied first.
 */
export function decodeCborCopying(bytes: Uint8Array): unknown {
  return copying.decode(bytes);
}
