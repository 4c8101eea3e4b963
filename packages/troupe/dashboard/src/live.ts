// What a tab needs to stay live: its data loaded once and again whenever the open actor's stream
// says something it shows has changed (a short debounce folds bursts of events into one load).

import { createContext } from "preact";
import { useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api.ts";
import type { StreamEvent } from "./types.ts";

const LOG_SIZE = 500;

/** The open actor's events: the last ones kept (for the timeline), the new ones told to listeners. */
export class ActorEvents {
  readonly log: StreamEvent[] = [];
  readonly #listeners = new Set<(event: StreamEvent) => void>();
  #seq = 0;

  /** Keeps `event`, renumbered in this log's order (a stream that reconnects counts again from 1). */
  push(event: StreamEvent): void {
    event.seq = ++this.#seq;
    this.log.push(event);
    if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
    for (const listener of this.#listeners) listener(event);
  }

  listen(listener: (event: StreamEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export const ActorEventsContext = createContext(new ActorEvents());

/** Calls `listener` for each new event of the open actor. */
export function useActorEvents(listener: (event: StreamEvent) => void): void {
  const events = useContext(ActorEventsContext);
  const latest = useRef(listener);
  latest.current = listener;
  // A layout effect runs before the page yields to the event loop: no event slips in between the
  // render that read the log and the listener's start.
  useLayoutEffect(() => events.listen((event) => latest.current(event)), [events]);
}

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  reload: () => void;
}

/**
 * `load()` now, when `deps` change, on `reload()`, and shortly after an event of one of `kinds`
 * (null: none). Data loaded for other `deps` (another actor) is never returned: a view shows
 * nothing rather than the previous actor's data while the new one loads.
 */
export function useLive<T>(load: () => Promise<T>, deps: unknown[], kinds: string[] | null): Loaded<T> {
  const key = JSON.stringify(deps);
  const [loaded, setLoaded] = useState<{ key: string; data?: T; error?: ApiError } | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setLoaded({ key, data }),
      (reason: unknown) => {
        const error = reason instanceof ApiError ? reason : new ApiError(0, "dashboard", "error", String(reason));
        // A failed reload keeps what was shown, with the error above it.
        if (current) setLoaded((last) => ({ key, data: last?.key === key ? last.data : undefined, error }));
      },
    );
    return () => {
      current = false;
    };
  }, [key, version]);
  useEffect(() => () => clearTimeout(timer.current), []);
  useActorEvents((event) => {
    if (kinds === null || !kinds.includes(event.kind)) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(reload, 60);
  });
  const mine = loaded?.key === key ? loaded : undefined;
  return { data: mine?.data, error: mine?.error, reload };
}
