// The one switch between Troupe's safer behaviour and RivetKit's where they differ on purpose
// (docs/compatibility.md): `setup({ compatibility: "rivetkit" })`. The runtime provides it to the
// core and the features by typed key.

import { featureKey, type ResourceKey } from "./feature.ts";

export type Compatibility = "troupe" | "rivetkit";

export const COMPATIBILITY: ResourceKey<Compatibility> = featureKey<Compatibility>("compatibility");

/** Whether the runtime behind `services` asked for RivetKit's behaviour. */
export function rivetkitBehaviour(services: { resource<T>(key: ResourceKey<T>): T | undefined }): boolean {
  return services.resource(COMPATIBILITY) === "rivetkit";
}
