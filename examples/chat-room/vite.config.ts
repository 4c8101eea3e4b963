// `npm run ui` serves the page on http://localhost:5173; the actors run in `npm run dev`.

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({ plugins: [react()] });
