import { join } from "node:path";
import { setup } from "troupe";
import { createClient } from "troupe/client";
import { describe, expect, test } from "vitest";
import { tempDir } from "../../../packages/troupe/test/support/temp-dir.ts";
import { until } from "../../../packages/troupe/test/support/until.ts";
import { registry } from "../src/registry.ts";

function inbox(socket: WebSocket): Array<Record<string, unknown>> {
  const seen: Array<Record<string, unknown>> = [];
  socket.addEventListener("message", (event) => seen.push(JSON.parse(String(event.data))));
  return seen;
}

// Raw WebSockets need a server: the network client only.
describe.each(["json", "cbor"] as const)("cursor room over raw WebSockets (%s)", (encoding) => {
  test("a move from one socket reaches the other; the HTTP status counts both", async () => {
    const served = setup({ use: registry.definitions, storage: { driver: "sqlite", path: join(tempDir("cursors-"), "troupe.db") } });
    await using server = await served.serve({ port: 0 });
    const client = createClient<typeof registry>({ endpoint: server.url, encoding });
    try {
      const room = client.cursors.getOrCreate("doc-1");
      const a = await room.webSocket();
      const aSeen = inbox(a);
      await until("a is welcomed", () => aSeen.length === 1);
      const b = await room.webSocket();
      const bSeen = inbox(b);
      await until("b is welcomed", () => bSeen.length === 1);
      expect(bSeen[0]).toMatchObject({ type: "welcome", peers: 2 });
      a.send(JSON.stringify({ x: 3, y: 4 }));
      await until("b saw the move", () => bSeen.length === 2);
      expect(bSeen[1]).toMatchObject({ type: "move", x: 3, y: 4 });
      expect(await (await room.fetch("/status")).json()).toEqual({ peers: 2, moves: 1 });
      a.close();
      await until("a left", async () => ((await (await room.fetch("/status")).json()) as { peers: number }).peers === 1);
      b.close();
    } finally {
      await client.dispose();
    }
  });
});
