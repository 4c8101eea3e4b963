// The names a client's handles and connections keep for their own members. An action with one of
// these names is not reachable as `handle.<name>(...)`, only as `handle.action({ name, args })`:
// the built-in wins, on every client, in the types as at run time, and `actor()` warns about it.

/** Members of a handle (`client.counter.getOrCreate(key)`). */
export const HANDLE_MEMBERS = ["action", "connect", "fetch", "getGatewayUrl", "queue", "resolve", "send", "webSocket"] as const;

/** Members of a connection (`handle.connect()`). */
export const CONN_MEMBERS = [
  "action",
  "actorId",
  "connId",
  "connStatus",
  "dispose",
  "isConnected",
  "on",
  "onClose",
  "onError",
  "onOpen",
  "onStatusChange",
  "once",
  "queue",
  "ready",
  "send",
] as const;

/**
 * Names no action proxy answers to, at any depth (`handle.chat.then` too): handles are not
 * thenables, and Object's own members (`toString`, `constructor`, ...) stay what they are.
 */
export const PROXY_EXCLUDED = ["then"] as const;

/**
 * An action proxy is a plain function: `bind`, `call` and `apply` are the function's own, so a
 * nested action of one of these names (`handle.phone.call`) is reached with `handle.action(...)`.
 */
export const FUNCTION_MEMBERS = ["apply", "bind", "call"] as const;

/** `toString`, `constructor`, `valueOf`, ...: what every object has. */
export type ObjectMember = keyof typeof Object.prototype;

export type HandleMember = (typeof HANDLE_MEMBERS)[number] | (typeof PROXY_EXCLUDED)[number] | ObjectMember;
export type ConnMember = (typeof CONN_MEMBERS)[number] | (typeof PROXY_EXCLUDED)[number] | ObjectMember;

/** Whether `name` is a member of every object (`toString`, `constructor`, `__proto__`, ...). */
export function isObjectMember(name: string): boolean {
  return name in Object.prototype;
}
