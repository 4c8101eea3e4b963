import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { setupTest } from "troupe/test";
import { expect, test } from "vitest";
import { registry } from "../src/registry.ts";

test("a tenant keeps projects and tasks in its own database", async () => {
  const t = setupTest(registry);
  const acme = t.client.tenant.getOrCreate(["acme"]);
  const { id } = await acme.createProject("launch");
  const added = await acme.addTasks(id, ["write docs", "ship"]);
  await acme.completeTask(added[0]!.id);
  expect(await acme.projects()).toEqual([
    {
      id,
      name: "launch",
      tasks: [
        { id: added[0]!.id, title: "write docs", done: true },
        { id: added[1]!.id, title: "ship", done: false },
      ],
    },
  ]);
  expect(await acme.stats()).toEqual([{ project: "launch", open: 1, done: 1 }]);

  // Another tenant sees none of it, and may reuse the same names.
  const globex = t.client.tenant.getOrCreate(["globex"]);
  expect(await globex.projects()).toEqual([]);
  await globex.createProject("launch");
});

test("bad requests get typed errors and change nothing", async () => {
  const t = setupTest(registry);
  const acme = t.client.tenant.getOrCreate(["acme"]);
  await acme.createProject("launch");
  await expect(acme.createProject("launch")).rejects.toMatchObject({ group: "user", code: "project_exists" });
  await expect(acme.addTasks(999, ["orphan"])).rejects.toMatchObject({ code: "project_not_found" });
  await expect(acme.completeTask(999)).rejects.toMatchObject({ code: "task_not_found" });
  expect(await acme.stats()).toEqual([{ project: "launch", open: 0, done: 0 }]);
});

test("data survives sleep and restart; deleting a project cascades; closing a tenant deletes its database", async () => {
  const t = setupTest(registry);
  const acme = t.client.tenant.getOrCreate(["acme"]);
  const { id } = await acme.createProject("launch");
  await acme.addTasks(id, ["a", "b"]);
  const actorId = await acme.resolve();
  await t.sleep(actorId);
  await t.restart();
  expect(await acme.stats()).toEqual([{ project: "launch", open: 2, done: 0 }]);

  await acme.deleteProject(id);
  expect(await acme.stats()).toEqual([]);

  const file = join(dirname(t.storagePath!), "actors", `${actorId}.db`);
  expect(existsSync(file)).toBe(true);
  await acme.close();
  for (let i = 0; i < 100 && existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(existsSync(file)).toBe(false);
  expect(await t.client.tenant.getOrCreate(["acme"]).projects()).toEqual([]);
});
