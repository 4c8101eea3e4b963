// `troupe/react`: React hooks over troupe/client, following RivetKit's `@rivetkit/react`, so that
// its apps port by changing imports (`createRivetKit` is `createTroupeContext`). Browser-safe.

export { createTroupeContext, createTroupeContextWithClient, DEFAULT_ENDPOINT } from "./context.ts";
export { createTroupeContext as createRivetKit, createTroupeContextWithClient as createRivetKitWithClient } from "./context.ts";
export { createClient } from "../client/index.ts";
export { hashActorOptions, type ActorRequest } from "./hash.ts";
export type { ConnStatus as ActorConnStatus, ConnStatus } from "../client/types.ts";
export type { ActorName, TroupeContext, TroupeContextOptions, UseActorOptions, UseActorResult } from "./types.ts";
