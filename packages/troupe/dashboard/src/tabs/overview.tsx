// Overview: the actor's summary (status, epoch, queue, storage) and "why is it awake?": what keeps
// it from sleeping now, and when it will sleep if nothing changes.

import { api, seg } from "../api.ts";
import { duration, time } from "../format.ts";
import { useLive } from "../live.ts";
import type { ActorSummary } from "../types.ts";
import { Badge, ErrorBanner, Section, Status } from "../ui.tsx";

interface Details extends ActorSummary {
  queue: { pending: number; inFlight: number; deadLetters: number };
  storage: { keys: number; bytes: number; complete: boolean };
}

type Keeper =
  | { kind: "action"; name: string; connId: string | null; startedAt: number }
  | { kind: "keep_awake" | "other"; count: number }
  | { kind: "run_loop" | "no_sleep" | "stopping" | "starting" };

interface Awake {
  awake: boolean;
  status: string;
  sleepable: boolean;
  keptAwakeBy: Keeper[];
  activity: number;
  idleSince: number | null;
  sleepsAt: number | null;
  sleepTimeout: number;
  noSleep: boolean;
  waitUntil: number;
  connections: number;
  nextAlarm: number | null;
}

const KEEPERS: Record<string, string> = {
  run_loop: "its run handler is running code",
  no_sleep: "it has noSleep: true",
  stopping: "it is stopping",
  starting: "it is starting",
};

function keeperText(keeper: Keeper): string {
  if (keeper.kind === "action")
    return `action ${keeper.name} running since ${time(keeper.startedAt)}${keeper.connId ? ` (connection ${keeper.connId})` : " (called from inside)"}`;
  if (keeper.kind === "keep_awake") return `${keeper.count} keepAwake promise(s), raw request(s) or socket(s)`;
  if (keeper.kind === "other") return `${keeper.count} other task(s): connection hooks, alarm handlers, start-up`;
  return KEEPERS[keeper.kind] ?? keeper.kind;
}

const LIVE = ["lifecycle", "action", "connection", "queue", "alarm", "commit"];

export function OverviewTab({ id }: { id: string }) {
  const details = useLive(() => api<Details>("GET", `/actors/${seg(id)}`), [id], LIVE);
  const awake = useLive(() => api<Awake>("GET", `/actors/${seg(id)}/awake`), [id], LIVE);
  const d = details.data;
  const a = awake.data;
  return (
    <div class="tab-body">
      <ErrorBanner error={details.error ?? awake.error} />
      <Section
        title="Why is it awake?"
        actions={
          <button type="button" onClick={awake.reload}>
            Refresh
          </button>
        }
      >
        {a && (
          <section class="awake" aria-label="why is it awake">
            {!a.awake ? (
              <p>
                <Status status="asleep" /> It is asleep{a.nextAlarm ? `; its next alarm wakes it at ${time(a.nextAlarm)}` : ""}.
              </p>
            ) : a.sleepable ? (
              <p>
                <Badge tone="good">idle</Badge> Nothing keeps it awake: it sleeps at <strong>{time(a.sleepsAt)}</strong> (idle since{" "}
                {time(a.idleSince)}, sleepTimeout {duration(a.sleepTimeout)}) unless work arrives.
              </p>
            ) : (
              <>
                <p>
                  <Badge tone="warn">busy</Badge> {a.activity} thing(s) in flight keep it awake:
                </p>
                <ul>
                  {a.keptAwakeBy.map((keeper, i) => (
                    <li key={i}>{keeperText(keeper)}</li>
                  ))}
                </ul>
              </>
            )}
            <p class="muted">
              Not keeping it awake: {a.connections} open connection(s) (they outlive its sleep), {a.waitUntil} waitUntil promise(s) (a stop
              waits for them), next alarm {time(a.nextAlarm)}.
            </p>
          </section>
        )}
      </Section>
      <Section title="Summary">
        {d && (
          <dl class="facts">
            <dt>status</dt>
            <dd>
              <Status status={d.status} />
            </dd>
            <dt>id</dt>
            <dd>
              <code>{d.id}</code>
            </dd>
            <dt>created</dt>
            <dd>{time(d.createdAt)}</dd>
            <dt>woken</dt>
            <dd>{time(d.wokenAt)}</dd>
            <dt>epoch</dt>
            <dd>{d.epoch}</dd>
            <dt>connections</dt>
            <dd>{d.connections}</dd>
            <dt>queue</dt>
            <dd>
              {d.queue.pending} pending, {d.queue.inFlight} in flight, {d.queue.deadLetters} dead letters
            </dd>
            <dt>next alarm</dt>
            <dd>{time(d.nextAlarm)}</dd>
            <dt>storage</dt>
            <dd>
              {d.storage.keys} keys, {d.storage.bytes} bytes{d.storage.complete ? "" : " (at least)"}
            </dd>
          </dl>
        )}
      </Section>
    </div>
  );
}
