// Builds the typed client object (`client.<actor>.getOrCreate(key)...`) over any driver.

import { HANDLE_MEMBERS } from "../protocol/handle-members.ts";
import { type ActorKey, normalizeKey } from "../protocol/keys.ts";
import { withActionProxies } from "./action-proxy.ts";
import type { ActorConnImpl } from "./connection.ts";
import type { ActorQuery, ClientDriver } from "./driver.ts";
import { ActorHandleImpl } from "./handle.ts";
import type { Client } from "./types.ts";

interface AccessorOptions {
  params?: unknown;
  getParams?: () => unknown;
  signal?: AbortSignal;
  createWithInput?: unknown;
  input?: unknown;
}

export function createClientFromDriver<R>(driver: ClientDriver): Client<R> {
  const conns = new Set<ActorConnImpl>();
  const track = (conn: ActorConnImpl) => {
    conns.add(conn);
    return () => conns.delete(conn);
  };
  const handle = (query: ActorQuery, options: AccessorOptions = {}) => {
    const impl = new ActorHandleImpl(driver, query, options, track);
    return withActionProxies(impl, HANDLE_MEMBERS, (name, args) => impl.action({ name, args }));
  };
  const accessor = (name: string) => ({
    get: (key?: ActorKey, options?: AccessorOptions) => handle({ kind: "get", name, key: normalizeKey(key) }, options),
    getOrCreate: (key?: ActorKey, options?: AccessorOptions) => {
      const query: ActorQuery = { kind: "getOrCreate", name, key: normalizeKey(key) };
      if (options && "createWithInput" in options) query.input = options.createWithInput;
      return handle(query, options);
    },
    getForId: (actorId: string, options?: AccessorOptions) => handle({ kind: "id", name, actorId }, options),
    create: async (key?: ActorKey, options: AccessorOptions = {}) => {
      const query: ActorQuery = { kind: "create", name, key: normalizeKey(key) };
      if ("input" in options) query.input = options.input;
      const actorId = await driver.resolve(query, options);
      return handle({ kind: "id", name, actorId }, options);
    },
  });
  const accessors = new Map<string, unknown>();
  const dispose = async () => {
    await Promise.all([...conns].map((conn) => conn.dispose()));
    await driver.dispose();
  };
  return new Proxy({} as Client<R>, {
    get(_target, prop) {
      if (prop === "dispose") return dispose;
      if (typeof prop === "symbol" || prop === "then") return undefined;
      let value = accessors.get(prop);
      if (value === undefined) {
        value = accessor(prop);
        accessors.set(prop, value);
      }
      return value;
    },
  });
}
