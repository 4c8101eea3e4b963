// `npm run dev` serves the app on http://localhost:5173; the actors run in `npm run server`.

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({ plugins: [react()] });
