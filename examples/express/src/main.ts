// `npx tsx src/main.ts` serves the Express app on port 3000 (PORT to change it); `npx tsx src/client.ts` talks to it.

import { start } from "./server.ts";

const { url } = await start(Number(process.env.PORT ?? 3000));
console.log(`App on ${url}, Troupe under ${url}/api/troupe`);
