// `troupe/utils`: the helpers of RivetKit's `rivetkit/utils` that apps use.

export { assertUnreachable, interval, type PromiseWithResolvers, promiseWithResolvers, sleep, stringifyError } from "./base/utils.ts";
