// A promise that actor code drops and that fails must not end the server (Node's default): a real
// server process logs it, against its actor when the runtime knows which, and keeps serving.

import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { spawnTs } from "../support/child-process.ts";
import { tempDir } from "../support/temp-dir.ts";
import { until } from "../support/until.ts";

const CHILD = fileURLToPath(new URL("./fixtures/dropping-server.ts", import.meta.url));

test("a dropped rejection in actor code is logged against its actor and the server process survives", async () => {
  const dir = tempDir("troupe-rejection-");
  const child = spawnTs(CHILD, [`${dir}/troupe.db`], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on("line", (line) => lines.push(line));
    let exited = false;
    child.on("exit", () => {
      exited = true;
    });
    await until("the server to print its URL", () => lines.some((l) => l.startsWith("url ")), { timeout: 20_000 });
    const url = lines.find((l) => l.startsWith("url "))!.slice(4);
    const call = async (id: string, action: string, args: unknown[] = []) => {
      const response = await fetch(`${url}/actors/leaky/${id}/actions/${action}`, { method: "POST", body: JSON.stringify({ args }) });
      return (await response.json()) as { output?: unknown };
    };
    const resolve = await fetch(`${url}/actors`, {
      method: "POST",
      body: JSON.stringify({ query: { kind: "getOrCreate", name: "leaky", key: ["a"] } }),
    });
    const { actorId } = (await resolve.json()) as { actorId: string };
    const other = (await (
      await fetch(`${url}/actors`, { method: "POST", body: JSON.stringify({ query: { kind: "getOrCreate", name: "leaky", key: ["b"] } }) })
    ).json()) as { actorId: string };

    expect(await call(actorId, "keepKvAndSleep")).toEqual({ output: actorId });
    expect(await call(other.actorId, "dropWriteAfterStop", [actorId])).toEqual({ output: "dropped" });
    expect(await call(other.actorId, "dropOwn")).toEqual({ output: "dropped" });

    const logged = () => lines.filter((l) => l.includes("unhandled rejection")).map((l) => JSON.parse(l) as Record<string, unknown>);
    await until("both rejections to be logged", () => logged().length >= 2, { detail: () => lines.join("\n") });
    // The write after the stop is the stopped actor's: its line names it.
    expect(logged()).toContainEqual(
      expect.objectContaining({
        actor: "leaky",
        key: ["a"],
        actorId,
        err: expect.objectContaining({ message: expect.stringContaining("stopping") }),
      }),
    );
    // The actor's own promise cannot be traced to it; it is logged all the same.
    expect(logged()).toContainEqual(expect.objectContaining({ err: expect.objectContaining({ message: "a bug in actor code" }) }));

    expect(exited).toBe(false);
    expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ status: "ok" });
    expect(await call(actorId, "ping")).toEqual({ output: "pong" });
  } finally {
    child.kill("SIGKILL");
  }
});
