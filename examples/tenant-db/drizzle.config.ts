// drizzle-kit's config: `npx drizzle-kit generate` writes a new migration under drizzle/ after the
// schema changes; every tenant applies it on its next start.
export default { dialect: "sqlite", schema: "./src/schema.ts", out: "./drizzle" };
