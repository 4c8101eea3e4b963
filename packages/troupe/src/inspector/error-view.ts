// Errors as the inspector shows them: as the caller saw them (the protocol's shape), and, in the
// live stream, also what was really thrown when the caller saw only `actor.internal_error`.

import { toPublicError } from "../base/errors.ts";
import { wireError } from "../server/http-messages.ts";
import { boundedView, type Json } from "./json-view.ts";

/** The error a caller of the actor gets for `error`. */
export function publicErrorView(error: unknown): Json {
  const visible = toPublicError(error);
  const view = wireError(visible) as unknown as Record<string, Json>;
  if (visible.metadata !== undefined) view.metadata = boundedView(visible.metadata);
  return view;
}

/** The public error, with `internal` (name, message, stack) when the caller was shown a masked one. */
export function errorView(error: unknown): Json {
  const view = publicErrorView(error);
  if (toPublicError(error) === error) return view;
  const internal =
    error instanceof Error
      ? { name: error.name, message: error.message, stack: error.stack ?? null }
      : { name: typeof error, message: String(error), stack: null };
  return { ...(view as Record<string, Json>), internal };
}
