// Node's upgrade request (an IncomingMessage, which has no body) as a web Request, which is what
// server/ reads upgrades from.

import type { IncomingMessage } from "node:http";

/** Undefined when the request line or Host header make no URL. */
export function webRequest(req: IncomingMessage): Request | undefined {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  } catch {
    return undefined;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return new Request(url, { method: "GET", headers });
}
