// Cluster mode: an HTTP call for an actor that another node runs is sent on to that node as it came
// (method, path, headers, body streamed), and its answer streamed back. The node adds the cluster's
// token, so that the node it reaches trusts the client address it passes on and counts the hops.

import { ActorError } from "../base/errors.ts";
import { decode, encode } from "../protocol/codec.ts";
import { actorPath, type Encoding } from "../protocol/wire.ts";

export const FORWARD_HEADERS = {
  /** The cluster's shared token: proves the request comes from a node of the cluster. */
  token: "x-troupe-cluster-token",
  /** How many nodes forwarded the request so far. */
  hops: "x-troupe-hops",
  /** The client's address as the first node saw it (for the per-client limits). */
  client: "x-troupe-client",
} as const;

/** A request can be forwarded this many times (the actor moved while it travelled); then it fails, to be retried. */
export const MAX_HOPS = 2;

export interface Forwarded {
  hops: number;
  client: string | undefined;
}

/** What a node forwarded this request says, when it carries the cluster's token; undefined for a request from a client. */
export function forwardedBy(request: Request, token: string | undefined): Forwarded | undefined {
  if (token === undefined || token === "" || request.headers.get(FORWARD_HEADERS.token) !== token) return undefined;
  const hops = Number(request.headers.get(FORWARD_HEADERS.hops) ?? "1");
  return { hops: Number.isInteger(hops) && hops > 0 ? hops : MAX_HOPS, client: request.headers.get(FORWARD_HEADERS.client) ?? undefined };
}

/** The headers a forwarded request carries in addition to the client's own. */
export function forwardHeaders(token: string, from: Forwarded | undefined, client: string | undefined): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    [FORWARD_HEADERS.token, token],
    [FORWARD_HEADERS.hops, String((from?.hops ?? 0) + 1)],
  ];
  const address = from?.client ?? client;
  if (address !== undefined) headers.push([FORWARD_HEADERS.client, address]);
  return headers;
}

/** Refuses a request that has been forwarded as often as allowed and would have to go on once more. */
export function assertCanForward(from: Forwarded | undefined, actorId: string): void {
  if ((from?.hops ?? 0) >= MAX_HOPS) {
    throw new ActorError("cluster", "owned_elsewhere", `Actor ${actorId} moved while the call was forwarded. Retry the call.`, {
      metadata: { actorId },
    });
  }
}

/** Hop-by-hop headers, which describe one connection and are not passed on. */
const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade", "host", "content-length", "te", "trailer"];

/** Sends `request` to the node at `address` and returns its answer; fails with `cluster.owner_unreachable`. */
export async function forwardRequest(request: Request, address: string, extra: Array<[string, string]>): Promise<Response> {
  const source = new URL(request.url);
  const url = new URL(source.pathname + source.search, address);
  const headers = new Headers(request.headers);
  for (const name of HOP_BY_HOP) headers.delete(name);
  for (const [name, value] of extra) headers.set(name, value);
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers,
    body: hasBody ? request.body : null,
    signal: request.signal,
    redirect: "manual",
  };
  if (hasBody) init.duplex = "half";
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new ActorError("cluster", "owner_unreachable", "The node that runs this actor did not answer. Retry the call.", { cause: error });
  }
  const out = new Headers(response.headers);
  for (const name of HOP_BY_HOP) out.delete(name);
  // fetch decoded a compressed body; its length and encoding no longer apply.
  out.delete("content-encoding");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: out });
}

/**
 * A resolve-and-call (`POST /actors` with an action) whose actor runs on another node: its action
 * goes there as a plain action call, with the client's headers. Resolves to the call's output;
 * an error answer passes through as the Response to send.
 */
export async function forwardAction(
  request: Request,
  address: string,
  target: { name: string; actorId: string; action: string; args: unknown[] },
  encoding: Encoding,
  extra: Array<[string, string]>,
): Promise<{ output: unknown } | Response> {
  const path = actorPath(target.name, target.actorId, `actions/${encodeURIComponent(target.action)}`);
  const url = new URL(path, request.url);
  const body = encode({ args: target.args }, encoding);
  const call = new Request(url, { method: "POST", headers: request.headers, body: body as BodyInit, signal: request.signal });
  const response = await forwardRequest(call, address, extra);
  if (!response.ok) return response;
  const reply = decode(new Uint8Array(await response.arrayBuffer()), encoding) as { output?: unknown };
  return { output: reply.output };
}
