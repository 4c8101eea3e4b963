// One actor: its header and tabs, with a live stream of its own events shared by every tab.

import { useEffect, useMemo, useState } from "preact/hooks";
import { api, seg } from "./api.ts";
import { keyLabel } from "./format.ts";
import { ActorEvents, ActorEventsContext, useLive } from "./live.ts";
import { EventStream, type StreamStatus } from "./stream.ts";
import { ConnectionsTab } from "./tabs/connections.tsx";
import { ConsoleTab } from "./tabs/console.tsx";
import { DatabaseTab } from "./tabs/database.tsx";
import { OverviewTab } from "./tabs/overview.tsx";
import { QueueTab } from "./tabs/queue.tsx";
import { SchedulesTab } from "./tabs/schedules.tsx";
import { StateTab } from "./tabs/state.tsx";
import { TimelineTab } from "./tabs/timeline.tsx";
import { WorkflowTab } from "./tabs/workflow.tsx";
import type { ActorDefinition, ActorSummary } from "./types.ts";
import { ErrorBanner, Status } from "./ui.tsx";

export const TABS = ["overview", "state", "connections", "queue", "schedules", "workflow", "database", "console", "timeline"] as const;
export type Tab = (typeof TABS)[number];

const LABELS: Record<Tab, string> = {
  overview: "Overview",
  state: "State",
  connections: "Connections",
  queue: "Queue",
  schedules: "Schedules",
  workflow: "Workflow",
  database: "Database",
  console: "Console",
  timeline: "Timeline",
};

/** The tabs an actor of `definition` has: State and Workflow only when it has them. */
function tabsOf(definition: ActorDefinition): Tab[] {
  return TABS.filter((tab) => (tab === "state" ? definition.state : tab === "workflow" ? definition.workflow : true));
}

function TabBody({ tab, id, definition }: { tab: Tab; id: string; definition: ActorDefinition }) {
  switch (tab) {
    case "overview":
      return <OverviewTab id={id} />;
    case "state":
      return <StateTab id={id} />;
    case "connections":
      return <ConnectionsTab id={id} />;
    case "queue":
      return <QueueTab id={id} definition={definition} />;
    case "schedules":
      return <SchedulesTab id={id} />;
    case "workflow":
      return <WorkflowTab id={id} />;
    case "database":
      return <DatabaseTab id={id} definition={definition} />;
    case "console":
      return <ConsoleTab id={id} definition={definition} />;
    case "timeline":
      return <TimelineTab />;
  }
}

export function ActorView({ id, tab, definitions, go }: { id: string; tab: Tab; definitions: ActorDefinition[]; go: (tab: Tab) => void }) {
  const events = useMemo(() => new ActorEvents(), [id]);
  const [stream, setStream] = useState<StreamStatus>("connecting");
  const [dropped, setDropped] = useState(0);
  useEffect(() => {
    setDropped(0);
    const open = new EventStream(
      { actors: [id] },
      (event) => events.push(event),
      (status, count) => {
        setStream(status);
        if (count !== undefined) setDropped((n) => n + count);
      },
    );
    return () => open.close();
  }, [id, events]);
  const summary = useLive(() => api<ActorSummary>("GET", `/actors/${seg(id)}`), [id], null);
  useEffect(() => events.listen((event) => event.kind === "lifecycle" && summary.reload()), [events, summary.reload]);

  const actor = summary.data;
  const definition = definitions.find((d) => d.name === actor?.name);
  return (
    <ActorEventsContext.Provider value={events}>
      <div class="actor-view">
        <ErrorBanner error={summary.error} />
        {actor && definition && (
          <>
            <header class="actor-head">
              <h2>
                {definition.icon ? `${definition.icon} ` : ""}
                {definition.displayName ?? actor.name} <span class="key">[{keyLabel(actor.key)}]</span>
              </h2>
              <Status status={actor.status} />
              <span class={`live ${stream}`} title={`event stream: ${stream}`}>
                {stream === "live" ? "● live" : stream}
                {dropped > 0 ? ` (${dropped} events dropped: the page read too slowly)` : ""}
              </span>
            </header>
            <div class="tabs" role="tablist">
              {tabsOf(definition).map((t) => (
                <button
                  key={t}
                  type="button"
                  role="tab"
                  aria-selected={t === tab}
                  class={t === tab ? "selected" : ""}
                  onClick={() => go(t)}
                >
                  {LABELS[t]}
                </button>
              ))}
            </div>
            <TabBody key={`${id}/${tab}`} tab={tabsOf(definition).includes(tab) ? tab : "overview"} id={id} definition={definition} />
          </>
        )}
      </div>
    </ActorEventsContext.Provider>
  );
}
