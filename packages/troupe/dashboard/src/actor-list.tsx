// The actor list: search by name, key prefix and status, live (reloaded when actors start, stop,
// or gain and lose connections), page by page.

import { useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, api } from "./api.ts";
import { keyLabel } from "./format.ts";
import { EventStream } from "./stream.ts";
import type { ActorDefinition, ActorSummary } from "./types.ts";
import { ErrorBanner } from "./ui.tsx";

const PAGE = 50;

function query(name: string, key: string, status: string, cursor: string | null): string {
  const params = new URLSearchParams({ limit: String(PAGE), status });
  if (name) params.set("name", name);
  // "org/room-" searches keys starting with ["org", "room-..."].
  if (key) for (const part of key.split("/")) params.append("key", part);
  if (cursor) params.set("cursor", cursor);
  return `/actors?${params}`;
}

export function ActorList({
  definitions,
  selected,
  open,
}: {
  definitions: ActorDefinition[];
  selected: string | null;
  open: (id: string) => void;
}) {
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [status, setStatus] = useState("all");
  const [actors, setActors] = useState<ActorSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const shown = useRef(PAGE);
  /** A new search starts again from one page. */
  const search = (set: (value: string) => void) => (value: string) => {
    shown.current = PAGE;
    set(value);
  };

  useEffect(() => {
    let current = true;
    // Reloads as many actors as were shown, so that a live reload keeps the pages already opened.
    const load = async () => {
      const list: ActorSummary[] = [];
      let cursor: string | null = null;
      do {
        const page: { actors: ActorSummary[]; next: string | null } = await api("GET", query(name, key, status, cursor));
        list.push(...page.actors);
        cursor = page.next;
      } while (cursor !== null && list.length < shown.current);
      return { list, cursor };
    };
    load().then(
      ({ list, cursor }) => {
        if (!current) return;
        setActors(list);
        setNext(cursor);
        setError(undefined);
      },
      (reason: ApiError) => current && setError(reason),
    );
    return () => {
      current = false;
    };
  }, [name, key, status, version]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stream = new EventStream({ kinds: ["lifecycle", "connection"] }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => setVersion((v) => v + 1), 100);
    });
    return () => {
      clearTimeout(timer);
      stream.close();
    };
  }, []);

  return (
    <aside class="actor-list">
      <div class="filters">
        <select aria-label="actor name" value={name} onChange={(e) => search(setName)(e.currentTarget.value)}>
          <option value="">all actors</option>
          {definitions.map((d) => (
            <option key={d.name} value={d.name}>
              {d.name}
            </option>
          ))}
        </select>
        <select aria-label="actor status" value={status} onChange={(e) => search(setStatus)(e.currentTarget.value)}>
          <option value="all">any status</option>
          <option value="awake">awake</option>
          <option value="asleep">asleep</option>
        </select>
        <input
          type="search"
          aria-label="search by key"
          placeholder="key prefix (parts split by /)"
          value={key}
          onInput={(e) => search(setKey)(e.currentTarget.value)}
        />
      </div>
      <ErrorBanner error={error} />
      <ul aria-label="actors">
        {actors.map((actor) => (
          <li key={actor.id}>
            <button type="button" class={actor.id === selected ? "selected" : ""} data-actor={actor.id} onClick={() => open(actor.id)}>
              <span class={`dot ${actor.status}`} title={actor.status} />
              <span class="name">{actor.name}</span>
              <span class="key">{keyLabel(actor.key)}</span>
              <span class="meta">
                {actor.status}
                {actor.node !== null && !actor.node.here ? ` on ${actor.node.address}` : ""}
                {actor.connections > 0 ? ` · ${actor.connections} conn` : ""}
              </span>
            </button>
          </li>
        ))}
        {actors.length === 0 && !error && <li class="empty">No actor matches.</li>}
      </ul>
      {next !== null && (
        <button
          type="button"
          class="more"
          onClick={() => {
            shown.current += PAGE;
            setVersion((v) => v + 1);
          }}
        >
          More actors
        </button>
      )}
    </aside>
  );
}
