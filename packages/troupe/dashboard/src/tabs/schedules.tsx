// Schedules: one-shot schedules (cancel) and cron jobs with their run history (delete).

import { useState } from "preact/hooks";
import { type ApiError, api, seg } from "../api.ts";
import { duration, time } from "../format.ts";
import { useLive } from "../live.ts";
import { Empty, ErrorBanner, Section, Status, Value } from "../ui.tsx";

interface Schedule {
  id: string;
  action: string;
  args: unknown[];
  runAt: number;
  createdAt: number;
}

interface CronRun {
  scheduledAt: number;
  firedAt: number;
  finishedAt: number | null;
  result: string;
  error: unknown;
}

interface Cron {
  name: string;
  kind: "cron" | "every";
  expression: string | null;
  timezone: string | null;
  interval: number | null;
  action: string;
  args: unknown[];
  nextRunAt: number | null;
  lastRunAt: number | null;
  history: CronRun[];
}

export function SchedulesTab({ id }: { id: string }) {
  const list = useLive(
    () => api<{ schedules: Schedule[]; cron: Cron[] }>("GET", `/actors/${seg(id)}/schedules`),
    [id],
    ["alarm", "action", "commit"],
  );
  const [failure, setFailure] = useState<ApiError | undefined>(undefined);
  const remove = async (path: string) => {
    try {
      await api("DELETE", `/actors/${seg(id)}${path}`);
      setFailure(undefined);
      list.reload();
    } catch (error) {
      setFailure(error as ApiError);
    }
  };
  const { schedules = [], cron = [] } = list.data ?? {};
  return (
    <div class="tab-body">
      <ErrorBanner error={list.error ?? failure} />
      <Section title={`Schedules (${schedules.length})`}>
        {schedules.length === 0 ? (
          <Empty>No one-shot schedule.</Empty>
        ) : (
          <table aria-label="schedules">
            <thead>
              <tr>
                <th>runs at</th>
                <th>action</th>
                <th>args</th>
                <th>created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {schedules.map((s) => (
                <tr key={s.id}>
                  <td>{time(s.runAt)}</td>
                  <td>{s.action}</td>
                  <td>
                    <Value value={s.args} />
                  </td>
                  <td>{time(s.createdAt)}</td>
                  <td>
                    <button type="button" class="danger" onClick={() => void remove(`/schedules/${seg(s.id)}`)}>
                      Cancel
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title={`Cron jobs (${cron.length})`}>
        {cron.length === 0 && <Empty>No cron job.</Empty>}
        {cron.map((job) => (
          <div class="cron" key={job.name}>
            <div class="cron-head">
              <strong>{job.name}</strong>{" "}
              <code>{job.kind === "cron" ? `${job.expression} (${job.timezone})` : `every ${duration(job.interval)}`}</code> → {job.action}(
              <Value value={job.args} />) · next {time(job.nextRunAt)}
              <button type="button" class="danger" onClick={() => void remove(`/cron/${seg(job.name)}`)}>
                Delete
              </button>
            </div>
            {job.history.length > 0 && (
              <table aria-label={`runs of ${job.name}`}>
                <tbody>
                  {job.history.map((run) => (
                    <tr key={run.firedAt}>
                      <td>{time(run.firedAt)}</td>
                      <td>
                        <Status status={run.result} />
                      </td>
                      <td>{run.finishedAt === null ? "–" : duration(run.finishedAt - run.firedAt)}</td>
                      <td>{run.error === null ? null : <Value value={run.error} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        ))}
      </Section>
    </div>
  );
}
