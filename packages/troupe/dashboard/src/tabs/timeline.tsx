// Timeline: the open actor's live events, newest first, filtered by kind and text, and paused at
// will (events keep arriving while paused; resuming shows them).

import { useContext, useState } from "preact/hooks";
import { duration, short, time } from "../format.ts";
import { ActorEventsContext, useActorEvents } from "../live.ts";
import type { StreamEvent } from "../types.ts";

const KINDS = ["lifecycle", "action", "state", "broadcast", "connection", "queue", "alarm", "commit", "inspector"];

function summary(event: StreamEvent): string {
  const d = event.data;
  switch (event.event) {
    case "action.started":
      return `${d.name}(${short(d.args, 80).slice(1, -1)})`;
    case "action.ended":
      return `${d.name} ${d.ok ? `→ ${short(d.output, 80)}` : `✗ ${(d.error as { code?: string })?.code}`} in ${duration(d.durationMs as number)}`;
    case "state.changed":
      return (d.changes as { path: string; op: string; new?: unknown }[])
        .map((c) => `${c.path || "/"} ${c.op === "remove" ? "removed" : `= ${short(c.new, 40)}`}`)
        .join(", ");
    case "actor.started":
      return `${d.mode} (${d.cause}) in ${duration(d.durationMs as number)}`;
    case "actor.stopped":
      return `${d.kind} (${d.reason})`;
    case "commit":
      return `${d.writes} writes, ${d.bytes} bytes, group of ${d.groupSize}, ${duration(d.durationMs as number)}`;
    case "inspector.write":
      return `${d.method} ${d.path}`;
    default:
      return short(d, 140);
  }
}

export function TimelineTab() {
  const events = useContext(ActorEventsContext);
  // Rendered from the log itself; paused, only up to the last event seen when the pause began.
  const [, setArrived] = useState(0);
  const [pausedAt, setPausedAt] = useState<number | null>(null);
  const [kinds, setKinds] = useState<Set<string>>(() => new Set(KINDS.filter((k) => k !== "commit")));
  const [text, setText] = useState("");
  const [clearedAt, setClearedAt] = useState(0);
  useActorEvents(() => setArrived((n) => n + 1));
  const shown = pausedAt === null ? events.log : events.log.filter((e) => e.seq <= pausedAt);
  const waiting = events.log.length - shown.length;
  const toggle = (kind: string) => {
    const next = new Set(kinds);
    if (!next.delete(kind)) next.add(kind);
    setKinds(next);
  };
  const visible = shown
    .filter(
      (e) =>
        e.seq > clearedAt && kinds.has(e.kind) && (text === "" || `${e.event} ${summary(e)}`.toLowerCase().includes(text.toLowerCase())),
    )
    .reverse();
  return (
    <div class="tab-body">
      <div class="toolbar">
        <button
          type="button"
          class={pausedAt !== null ? "primary" : ""}
          onClick={() => setPausedAt(pausedAt === null ? (events.log.at(-1)?.seq ?? 0) : null)}
        >
          {pausedAt !== null ? `Resume${waiting ? ` (${waiting} new)` : ""}` : "Pause"}
        </button>
        <input aria-label="filter events" placeholder="filter text" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        {KINDS.map((kind) => (
          <label key={kind} class="check">
            <input type="checkbox" checked={kinds.has(kind)} onChange={() => toggle(kind)} /> {kind}
          </label>
        ))}
        <button type="button" onClick={() => setClearedAt(events.log.at(-1)?.seq ?? 0)}>
          Clear
        </button>
      </div>
      <ol class="timeline" aria-label="timeline">
        {visible.map((event) => (
          <li key={event.seq} class={`kind-${event.kind}`} data-event={event.event}>
            <span class="at">{time(event.at)}</span>
            <span class="event">{event.event}</span>
            <span class="what" title={JSON.stringify(event.data, null, 2)}>
              {summary(event)}
            </span>
          </li>
        ))}
        {visible.length === 0 && <li class="empty">No event yet: call an action, or open a connection.</li>}
      </ol>
    </div>
  );
}
