// Serves the Hono app on PORT (default 3000).

import { serve } from "@hono/node-server";
import { createApp } from "./server.ts";

const port = Number(process.env.PORT ?? 3000);
serve({ fetch: createApp().fetch, port }, () => console.log(`Listening on http://localhost:${port}`));
