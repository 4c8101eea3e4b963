// A Hono app with its own routes beside the actors: the registry's fetch handler serves the actor
// routes (as RivetKit's `registry.handler` does), and the app's routes call actors in-process.

import { Hono } from "hono";
import { createClient } from "troupe";
import { registry } from "./registry.ts";

export function createApp(reg: typeof registry = registry) {
  const actors = createClient(reg);
  const app = new Hono();
  // The actor routes, for troupe/client: stateless actions, queue sends, raw requests.
  app.all("/actors", (c) => reg.handler(c.req.raw));
  app.all("/actors/*", (c) => reg.handler(c.req.raw));
  // The app's own routes.
  app.post("/api/:user/todos", async (c) => {
    const { text } = await c.req.json<{ text: string }>();
    return c.json(await actors.todoList.getOrCreate(c.req.param("user")).add(text), 201);
  });
  app.get("/api/:user/todos", async (c) => c.json(await actors.todoList.getOrCreate(c.req.param("user")).list()));
  return app;
}
