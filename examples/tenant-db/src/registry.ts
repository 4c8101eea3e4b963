// The registry of the example: `troupe dev src/registry.ts` serves it.

import { setup } from "troupe";
import { tenant } from "./tenant.ts";

export const registry = setup({ use: { tenant } });
