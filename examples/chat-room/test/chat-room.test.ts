import { join } from "node:path";
import { setup } from "troupe";
import { createClient } from "troupe/client";
import { setupTest } from "troupe/test";
import { describe, expect, test } from "vitest";
import { tempDir } from "../../../packages/troupe/test/support/temp-dir.ts";
import { until } from "../../../packages/troupe/test/support/until.ts";
import { type Message, registry } from "../src/registry.ts";

test("members see each other's messages, joins and leaves (in-process, RivetKit's setupTest form)", async (c) => {
  const { client } = await setupTest(c, registry);
  const alice = client.chatRoom.getOrCreate("lobby", { params: { username: "alice" } }).connect();
  const bob = client.chatRoom.getOrCreate("lobby", { params: { username: "bob" } }).connect();
  const seen: Message[] = [];
  const left: string[] = [];
  bob.on("newMessage", (m) => seen.push(m as Message));
  bob.on("left", (name) => left.push(name as string));
  await Promise.all([alice.ready, bob.ready]);
  await alice.sendMessage("hi bob");
  await until("bob got it", () => seen.length === 1);
  expect(seen[0]).toMatchObject({ sender: "alice", text: "hi bob" });
  await expect(alice.sendMessage(" ")).rejects.toMatchObject({ code: "empty_message" });
  await alice.dispose();
  await until("bob saw alice leave", () => left.includes("alice"));
  expect((await client.chatRoom.getOrCreate("lobby").getHistory()).map((m) => m.text)).toEqual(["hi bob"]);
});

describe.each(["json", "cbor"] as const)("over the network (%s)", (encoding) => {
  test("two clients chat through a served registry", async () => {
    const served = setup({ use: registry.definitions, storage: { driver: "sqlite", path: join(tempDir("chat-"), "troupe.db") } });
    await using server = await served.serve({ port: 0 });
    const client = createClient<typeof registry>({ endpoint: server.url, encoding });
    try {
      const alice = client.chatRoom.getOrCreate("room", { params: { username: "alice" } }).connect();
      const bob = client.chatRoom.getOrCreate("room", { params: { username: "bob" } }).connect();
      const joined: string[] = [];
      alice.on("joined", (name) => joined.push(name as string));
      const seen: Message[] = [];
      alice.on("newMessage", (m) => seen.push(m as Message));
      await Promise.all([alice.ready, bob.ready]);
      await bob.sendMessage("hello");
      await until("alice got it", () => seen.length === 1);
      expect(seen[0]).toMatchObject({ sender: "bob", text: "hello" });
    } finally {
      await client.dispose();
    }
  });
});
