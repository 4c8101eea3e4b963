// Where an entry sits in the workflow tree (its scope's names and loop iterations, then its own
// name), and the key bytes that path maps to. Iterations encode big-endian, so a loop's
// iterations sort in order and a run of them is one key range (used to compact loops).

import { ActorError } from "../../../base/errors.ts";

/** A name, or a loop iteration number. */
export type PathSegment = string | number;
export type Path = readonly PathSegment[];

const SEPARATOR = 0x00;
const NAME = 0x01;
const ITERATION = 0x02;
const utf8 = new TextEncoder();
const utf8Decode = new TextDecoder();

/** Entry names must be non-empty and free of NUL, which separates path segments in keys. */
export function checkName(name: unknown, what: string): string {
  if (typeof name !== "string" || name.length === 0 || name.includes("\u0000")) {
    throw new ActorError(
      "workflow",
      "invalid_name",
      `${what} needs a non-empty name without NUL characters, got ${JSON.stringify(name)}.`,
      {
        public: false,
      },
    );
  }
  return name;
}

export function encodePath(path: Path): Uint8Array {
  const parts: number[] = [];
  path.forEach((segment, i) => {
    if (i > 0) parts.push(SEPARATOR);
    if (typeof segment === "number") {
      parts.push(ITERATION, (segment >>> 24) & 0xff, (segment >>> 16) & 0xff, (segment >>> 8) & 0xff, segment & 0xff);
    } else {
      parts.push(NAME, ...utf8.encode(segment));
    }
  });
  return Uint8Array.from(parts);
}

export function decodePath(bytes: Uint8Array): PathSegment[] {
  const path: PathSegment[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] === ITERATION) {
      path.push(new DataView(bytes.buffer, bytes.byteOffset + i + 1, 4).getUint32(0));
      i += 5;
    } else {
      let end = bytes.indexOf(SEPARATOR, i + 1);
      if (end < 0) end = bytes.length;
      path.push(utf8Decode.decode(bytes.subarray(i + 1, end)));
      i = end;
    }
    if (bytes[i] === SEPARATOR) i++;
  }
  return path;
}

/** A readable form for messages and the history API: `order/charge`, `poll[3]/fetch`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `/${segment}`;
  }
  return out;
}

export function pathId(path: Path): string {
  return JSON.stringify(path);
}
