// One actor per tenant, each with a SQLite database of its own: tenants cannot see each other's
// rows, a tenant's queries never wait for another's, and deleting a tenant deletes its data.

import { fileURLToPath } from "node:url";
import { count, eq, sql } from "drizzle-orm";
import { actor, UserError } from "troupe";
import { db } from "troupe/db/drizzle";
import * as schema from "./schema.ts";

const { projects, tasks } = schema;

export const tenant = actor({
  db: db({ schema, migrationsFolder: fileURLToPath(new URL("../drizzle", import.meta.url)) }),
  actions: {
    createProject: async (c, name: string) => {
      const existing = await c.db.select({ id: projects.id }).from(projects).where(eq(projects.name, name));
      if (existing.length > 0) throw new UserError(`A project named "${name}" already exists.`, { code: "project_exists" });
      const [project] = await c.db.insert(projects).values({ name }).returning({ id: projects.id, name: projects.name });
      return project!;
    },

    /** Adds tasks to a project, all or none. */
    addTasks: (c, projectId: number, titles: string[]) =>
      c.db.transaction(async (tx) => {
        const [project] = await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId));
        if (!project) throw new UserError(`No project ${projectId}.`, { code: "project_not_found" });
        return tx
          .insert(tasks)
          .values(titles.map((title) => ({ projectId, title })))
          .returning({ id: tasks.id, title: tasks.title });
      }),

    completeTask: async (c, taskId: number) => {
      const done = await c.db.update(tasks).set({ done: true }).where(eq(tasks.id, taskId)).returning({ id: tasks.id });
      if (done.length === 0) throw new UserError(`No task ${taskId}.`, { code: "task_not_found" });
    },

    /** Every project with its tasks, through Drizzle's relational queries. */
    projects: (c) =>
      c.db.query.projects.findMany({
        columns: { id: true, name: true },
        with: { tasks: { columns: { id: true, title: true, done: true } } },
        orderBy: projects.id,
      }),

    /** Open and done tasks per project. */
    stats: (c) =>
      c.db
        .select({
          project: projects.name,
          open: count(sql`CASE WHEN ${tasks.done} = 0 THEN 1 END`),
          done: count(sql`CASE WHEN ${tasks.done} = 1 THEN 1 END`),
        })
        .from(projects)
        .leftJoin(tasks, eq(tasks.projectId, projects.id))
        .groupBy(projects.id)
        .orderBy(projects.name),

    deleteProject: async (c, projectId: number) => {
      // Its tasks go with it: the foreign key cascades (troupe turns foreign keys on).
      await c.db.delete(projects).where(eq(projects.id, projectId));
    },

    /** Deletes the tenant and its database. */
    close: (c) => c.destroy(),
  },
});
