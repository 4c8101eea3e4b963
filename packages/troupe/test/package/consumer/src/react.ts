// What a React app's code does with troupe/react: the hooks typed from the registry, with no React
// types needed to compile (the declarations name none).

import { createRivetKit, createTroupeContext } from "troupe/react";
import type { registry } from "./registry.ts";

export const { useActor, client } = createTroupeContext<typeof registry>("http://127.0.0.1:6420");
export const ported = createRivetKit<typeof registry>({ endpoint: "http://127.0.0.1:6420", encoding: "json" });

/** A custom hook over useActor: the count, kept current by the typed `changed` event. */
export function useCounter(room: string, onChange: (count: number) => void) {
  const counter = useActor({ name: "counter", key: [room] });
  counter.useEvent("changed", (count) => onChange(count));
  return { status: counter.connStatus, increment: () => counter.connection?.increment(1) };
}
