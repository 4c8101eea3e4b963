// Every request under /api/troupe goes to the registry. Route handlers run in the Node.js runtime
// (the default), which the registry's SQLite storage needs.

import { toNextHandler } from "troupe";
import { registry } from "../../../../src/registry.ts";

export const { GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS } = toNextHandler(registry);
