// The tenant's tables: each tenant actor has its own copy of them, in its own SQLite database.

import { relations, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "troupe/db/drizzle";

export const projects = sqliteTable("projects", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
});

export const tasks = sqliteTable(
  "tasks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    done: integer("done", { mode: "boolean" }).notNull().default(false),
  },
  (table) => [index("tasks_project_idx").on(table.projectId)],
);

export const projectsRelations = relations(projects, ({ many }) => ({ tasks: many(tasks) }));
export const tasksRelations = relations(tasks, ({ one }) => ({
  project: one(projects, { fields: [tasks.projectId], references: [projects.id] }),
}));
