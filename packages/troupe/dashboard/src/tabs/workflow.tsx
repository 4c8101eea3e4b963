// Workflow: the history entries in the order the code reached them, with status, attempts, errors,
// timings and outputs; when the code no longer matches the history, why, and which entry.

import { api, seg } from "../api.ts";
import { duration, time } from "../format.ts";
import { useLive } from "../live.ts";
import { Empty, ErrorBanner, Section, Status, Value } from "../ui.tsx";

interface WorkflowError {
  name: string;
  message: string;
  group?: string;
  code?: string;
}

interface Entry {
  location: string;
  kind: string;
  status: string;
  startedAt: number;
  completedAt: number | null;
  attempts?: number;
  failures?: number;
  retryAt?: number;
  deadline?: number;
  output: unknown;
  error: WorkflowError | null;
}

interface History {
  workflow: {
    status: string;
    startedAt: number;
    updatedAt: number;
    completedAt: number | null;
    output: unknown;
    error: WorkflowError | null;
  } | null;
  entries: Entry[];
  blocked: { error: WorkflowError; entry: Entry | null } | null;
}

const errorText = (error: WorkflowError) => `${error.group ? `${error.group}.${error.code}: ` : `${error.name}: `}${error.message}`;

export function WorkflowTab({ id }: { id: string }) {
  const history = useLive(() => api<History>("GET", `/actors/${seg(id)}/workflow`), [id], ["commit", "lifecycle"]);
  const data = history.data;
  const run = data?.workflow;
  return (
    <div class="tab-body">
      <ErrorBanner error={history.error} />
      {data?.blocked && (
        <div class="blocked" role="alert">
          <strong>Blocked:</strong> {errorText(data.blocked.error)}
          {data.blocked.entry && (
            <p>
              Recorded entry: <code>{data.blocked.entry.location}</code> ({data.blocked.entry.kind}, {data.blocked.entry.status}). The
              workflow resumes on the next wake once the code matches its history again.
            </p>
          )}
        </div>
      )}
      <Section title="Workflow">
        {run === null || run === undefined ? (
          <Empty>The workflow has not started.</Empty>
        ) : (
          <p class="summary-line">
            <Status status={run.status} /> started {time(run.startedAt)} · updated {time(run.updatedAt)}
            {run.completedAt !== null && <> · completed {time(run.completedAt)}</>}
            {run.output !== null && (
              <>
                {" "}
                · output <Value value={run.output} />
              </>
            )}
            {run.error && !data?.blocked && <> · {errorText(run.error)}</>}
          </p>
        )}
      </Section>
      <Section title={`History (${data?.entries.length ?? 0} entries)`}>
        {data && data.entries.length > 0 && (
          <table aria-label="workflow history">
            <thead>
              <tr>
                <th>entry</th>
                <th>kind</th>
                <th>status</th>
                <th>attempts</th>
                <th>started</th>
                <th>took</th>
                <th>output / error</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((entry) => (
                <tr key={entry.location} class={data.blocked?.entry?.location === entry.location ? "offending" : ""}>
                  <td>
                    <code>{entry.location}</code>
                  </td>
                  <td>{entry.kind}</td>
                  <td>
                    <Status status={entry.status} />
                  </td>
                  <td>{entry.attempts === undefined ? "–" : `${entry.attempts}${entry.failures ? ` (${entry.failures} failed)` : ""}`}</td>
                  <td>{time(entry.startedAt)}</td>
                  <td>
                    {entry.completedAt !== null
                      ? duration(entry.completedAt - entry.startedAt)
                      : entry.deadline
                        ? `until ${time(entry.deadline)}`
                        : entry.retryAt
                          ? `retry ${time(entry.retryAt)}`
                          : "–"}
                  </td>
                  <td>
                    {entry.error ? (
                      <span class="error-text">{errorText(entry.error)}</span>
                    ) : entry.output === null ? (
                      "–"
                    ) : (
                      <Value value={entry.output} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}
