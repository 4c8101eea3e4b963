// What the protocol fuzzer sends: fast-check arbitraries for HTTP requests and WebSocket sessions,
// made of well-formed messages carrying hostile values, near-misses of the protocol's shapes, and
// plain garbage, in both encodings.

import fc from "fast-check";
import { encodeCbor } from "../../../src/base/cbor.ts";
import { CBOR_CYCLE, cborShared, type Encoding } from "../actors.ts";

/** A body as it goes on the wire: bytes or text already encoded, or a value to encode. */
export type Body = { raw: string | Uint8Array } | { value: unknown };

export interface HttpCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  encoding: Encoding;
  body: Body | undefined;
}

export interface WsCase {
  path: string;
  encoding: Encoding;
  protocols: string[];
  frames: Body[];
}

const ENCODING = fc.constantFrom<Encoding>("json", "cbor");

/** Strings that probe keys and names: empty, long, lone surrogates, path tricks, prototype names. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("", "__proto__", "constructor", "prototype", "toString", "\ud800", "a\udc00b", "..", "%2e%2e", "a/b", "\u0000", " "),
  fc.string({ minLength: 120, maxLength: 140 }),
);

/** Any value a client could send, bigints, Maps, typed arrays and `__proto__` keys included. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.anything({
      maxDepth: 4,
      maxKeys: 5,
      withBigInt: true,
      withMap: true,
      withSet: true,
      withDate: true,
      withTypedArray: true,
      withNullPrototype: true,
      withSparseArray: true,
      key: nastyString,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom("__proto__", "constructor", "isAdmin"), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  },
  { weight: 1, arbitrary: fc.bigInt() },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 100 }) },
);

/** Bodies that are not what any route expects, or that break the rules for values on purpose. */
function hostileRaw(encoding: Encoding): fc.Arbitrary<string | Uint8Array> {
  const deepJson = fc.integer({ min: 100, max: 20_000 }).map((n) => `{"args":[${"[".repeat(n)}${"]".repeat(n)}]}`);
  const deepCbor = fc
    .integer({ min: 100, max: 20_000 })
    .map((n) => new Uint8Array([0xa1, 0x64, ...utf8("args"), 0x81, ...new Array(n).fill(0x81), 0x80]));
  const shared = fc.oneof(fc.constant(CBOR_CYCLE), fc.integer({ min: 1, max: 23 }).map(cborShared));
  const cborWithArg = shared.map((arg) => new Uint8Array([0xa1, 0x64, ...utf8("args"), 0x81, ...arg]));
  const protoJson = fc.constant('{"args":[{"__proto__":{"isAdmin":true}}],"__proto__":{"args":1}}');
  const bytes = fc.uint8Array({ maxLength: 300 });
  const text = fc.string({ maxLength: 300 });
  const oversized = fc.constant("x".repeat(70_000));
  const json = fc.jsonValue().map((v) => JSON.stringify(v));
  const often = <T>(arbitrary: fc.Arbitrary<T>) => ({ weight: 4, arbitrary });
  const rarely = { weight: 1, arbitrary: oversized };
  return encoding === "json"
    ? fc.oneof(often(deepJson), often(protoJson), often(text), often(bytes), often(json), rarely)
    : fc.oneof(often(deepCbor), often(cborWithArg), often(shared), often(bytes), often(text), rarely);
}

function utf8(text: string): number[] {
  return [...new TextEncoder().encode(text)];
}

/** A body for an HTTP route, or a WebSocket message: mostly of the expected shape. */
function body(encoding: Encoding, shapes: fc.Arbitrary<unknown>): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 6, arbitrary: shapes.map((value) => ({ value })) },
    { weight: 1, arbitrary: hostileRaw(encoding).map((raw) => ({ raw })) },
  );
}

const KEY = fc.oneof(
  { weight: 4, arbitrary: fc.array(nastyString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.constant(""), { minLength: 30, maxLength: 20_000 }) },
  { weight: 1, arbitrary: hostileValue },
);

const query = fc.record(
  {
    kind: fc.oneof(fc.constantFrom("get", "getOrCreate", "create", "id"), hostileValue),
    name: fc.oneof(fc.constantFrom("toy", "vault", "nobody"), nastyString),
    key: KEY,
    actorId: fc.oneof(fc.uuid(), nastyString),
    input: hostileValue,
  },
  { requiredKeys: ["kind", "name"] },
);

const ACTIONS = ["set", "get", "echo", "setKey", "getM", "broadcast", "kv", "read", "calls", "nope"];
const action = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...ACTIONS) }, { weight: 1, arbitrary: nastyString });
const args = fc.oneof({ weight: 8, arbitrary: fc.array(hostileValue, { maxLength: 3 }) }, { weight: 1, arbitrary: hostileValue });
const requestId = fc.oneof({ weight: 8, arbitrary: fc.nat() }, { weight: 1, arbitrary: hostileValue });
const idempotencyKey = fc.oneof(nastyString, hostileValue);
/** A send that waits does so for its timeout (60 s by default): waits here are short, so that a wait is not a hang. */
const sendOptions = fc.option(
  fc.oneof(
    fc.record(
      { wait: fc.constant(true), timeout: fc.integer({ min: 0, max: 200 }), idempotencyKey },
      { requiredKeys: ["wait", "timeout"] },
    ),
    fc.record(
      {
        wait: fc.oneof(
          fc.constant(false),
          hostileValue.filter((v) => v !== true),
        ),
        timeout: fc.oneof(fc.double(), hostileValue),
        idempotencyKey,
      },
      { requiredKeys: [] },
    ),
  ),
);

/** A path segment; one that cannot be URI-encoded (a lone surrogate) goes as a bad escape instead. */
function pathPart(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return "%ZZ";
  }
}

const b64 = (value: string) => Buffer.from(value).toString("base64url");
const headerValue = fc.oneof(
  fc.constantFrom("", "%%%", "e30", b64('{"token":"ok"}'), b64("[[[[[[[[[[[[[[]]]]]]]]]]]]]]"), b64('{"__proto__":{"token":"ok"}}')),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
);

/** Mostly the headers a client sends; some of the time, wrong ones. */
function headers(encoding: Encoding): fc.Arbitrary<Record<string, string>> {
  const plain = fc.constant({ "x-troupe-encoding": encoding });
  const wrong = fc.record(
    {
      "x-troupe-encoding": fc.oneof(
        { weight: 6, arbitrary: fc.constant(encoding) },
        { weight: 1, arbitrary: fc.constantFrom("xml", "JSON", "") },
      ),
      "x-troupe-protocol": fc.constantFrom("1", "1", "1", "1", "2", "x"),
      "x-troupe-conn-params": headerValue,
      authorization: fc.constantFrom("Bearer ok", "Bearer nope", "Basic %%%", ""),
      "content-type": fc.constantFrom("application/json", "application/cbor", "text/plain"),
    },
    { requiredKeys: ["x-troupe-encoding"] },
  );
  return fc.oneof({ weight: 2, arbitrary: plain }, { weight: 1, arbitrary: wrong });
}

/** Ids are filled in by the harness: `{toy}` and `{vault}` stand for live actors. */
const actorPathPart = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("toy/{toy}", "vault/{vault}") },
  { weight: 1, arbitrary: fc.constantFrom("toy/{vault}", "nobody/{toy}", "toy/00000000-0000-0000-0000-000000000000", "toy/%ZZ", "toy/") },
);

export const httpCase: fc.Arbitrary<HttpCase> = ENCODING.chain((encoding) =>
  fc.oneof(
    fc.record({
      method: fc.constant("POST"),
      path: fc.constant("/actors"),
      headers: headers(encoding),
      encoding: fc.constant(encoding),
      body: fc.option(body(encoding, fc.record({ query: fc.oneof(query, hostileValue) }, { requiredKeys: [] })), { nil: undefined }),
    }),
    fc.record({
      method: fc.oneof({ weight: 8, arbitrary: fc.constant("POST") }, { weight: 1, arbitrary: fc.constantFrom("GET", "PUT") }),
      path: fc.tuple(actorPathPart, action).map(([actor, name]) => `/actors/${actor}/actions/${pathPart(name)}`),
      headers: headers(encoding),
      encoding: fc.constant(encoding),
      body: fc.option(body(encoding, fc.record({ args }, { requiredKeys: [] })), { nil: undefined }),
    }),
    fc.record({
      method: fc.constant("POST"),
      path: fc
        .tuple(actorPathPart, fc.oneof(fc.constantFrom("default", "inbox"), nastyString))
        .map(([actor, q]) => `/actors/${actor}/queue/${pathPart(q)}`),
      headers: headers(encoding),
      encoding: fc.constant(encoding),
      body: fc.option(body(encoding, fc.record({ body: hostileValue, options: sendOptions }, { requiredKeys: [] })), { nil: undefined }),
    }),
    fc.record({
      method: fc.constantFrom("GET", "POST", "DELETE", "PATCH"),
      path: fc.tuple(actorPathPart, fc.string({ maxLength: 20 })).map(([actor, rest]) => `/actors/${actor}/request/${pathPart(rest)}`),
      headers: headers(encoding),
      encoding: fc.constant(encoding),
      body: fc.option(
        fc.string({ maxLength: 200 }).map((raw) => ({ raw })),
        { nil: undefined },
      ),
    }),
    fc.record({
      method: fc.constantFrom("GET", "POST", "OPTIONS", "DELETE"),
      path: fc.oneof(
        fc.constantFrom("/health", "/actors/toy/{toy}/connect", "/actors/toy/{toy}/websocket/x", "/", "/actors/"),
        fc.webPath(),
      ),
      headers: headers(encoding),
      encoding: fc.constant(encoding),
      body: fc.constant(undefined),
    }),
  ),
);

const wsMessage = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      { type: fc.constant("action"), id: requestId, name: action, args },
      { requiredKeys: ["type", "id", "name", "args"] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        type: fc.constant("send"),
        id: fc.nat(),
        queue: fc.oneof(fc.constantFrom("default", "inbox"), nastyString),
        body: hostileValue,
        options: sendOptions,
      },
      { requiredKeys: ["type", "id"] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant("subscribe"),
      event: fc.oneof(fc.constantFrom("ev", "secret"), nastyString),
      subscribe: fc.oneof(fc.boolean(), hostileValue),
    }),
  },
  { weight: 1, arbitrary: hostileValue },
);

const subprotocol: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "troupe.v2",
      "troupe.encoding.xml",
      "troupe.params.%%%",
      "troupe.token.%%%",
      `troupe.params.${b64("[[[[]]]]")}`,
      `troupe.token.${b64("42")}`,
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(`troupe.params.${b64('{"token":"ok"}')}`, `troupe.token.${b64('"ok"')}`) },
);

export const wsCase: fc.Arbitrary<WsCase> = ENCODING.chain((encoding) =>
  fc.record({
    path: fc.oneof(
      { weight: 5, arbitrary: fc.constant("/actors/toy/{toy}/connect") },
      {
        weight: 1,
        arbitrary: fc.constantFrom("/actors/vault/{vault}/connect", "/actors/toy/{toy}/websocket/echo", "/actors/toy/nope/connect"),
      },
    ),
    encoding: fc.constant(encoding),
    protocols: fc.array(subprotocol, { maxLength: 2 }).map((list) => list.filter((p) => p !== undefined)),
    frames: fc.array(body(encoding, wsMessage), { minLength: 1, maxLength: 8 }),
  }),
);

/** The bytes or text of a body in `encoding`; a JSON body turns bigints into strings, as a JSON client must. */
export function encodeBody(body: Body, encoding: Encoding): string | Uint8Array {
  if ("raw" in body) return body.raw;
  if (encoding === "cbor") return encodeCbor(body.value);
  return JSON.stringify(body.value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "null";
}
