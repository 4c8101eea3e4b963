// The hooks, typed from the registry (a type-only import: no server code reaches the browser).
// A RivetKit app has `createRivetKit<typeof registry>(endpoint)` here; `createTroupeContext` is the same.

import { createTroupeContext } from "troupe/react";
import type { registry } from "./registry.ts";

export const { useActor } = createTroupeContext<typeof registry>(import.meta.env.VITE_TROUPE_ENDPOINT ?? "http://127.0.0.1:6420");
