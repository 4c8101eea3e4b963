// State: the actor's state, live (reloaded after each state.changed event, whose paths stay
// highlighted until the next one), editable leaf by leaf (a JSON Patch with a `test` of the old
// value, so a change made meanwhile is not overwritten) or whole (PUT).

import { useState } from "preact/hooks";
import { ApiError, api, seg } from "../api.ts";
import { time } from "../format.ts";
import { JsonTree } from "../json-tree.tsx";
import { useActorEvents, useLive } from "../live.ts";
import type { StateChange } from "../types.ts";
import { ErrorBanner, Section, Value } from "../ui.tsx";

interface LastChanges {
  at: number;
  changes: StateChange[];
  truncated: boolean;
}

export function StateTab({ id }: { id: string }) {
  const state = useLive(() => api<{ state: unknown; awake: boolean }>("GET", `/actors/${seg(id)}/state`), [id], ["state"]);
  const [last, setLast] = useState<LastChanges | undefined>(undefined);
  const [raw, setRaw] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | string | undefined>(undefined);
  useActorEvents((event) => {
    if (event.event !== "state.changed") return;
    const data = event.data as { changes: StateChange[]; truncated: boolean };
    setLast({ at: event.at, changes: data.changes, truncated: data.truncated });
  });

  const write = async (method: string, body: unknown) => {
    try {
      await api(method, `/actors/${seg(id)}/state`, body);
      setFailure(undefined);
      state.reload();
      return true;
    } catch (error) {
      setFailure(error as ApiError);
      return false;
    }
  };
  const edit = (path: string, old: unknown, value: unknown) =>
    void write("PATCH", [
      { op: "test", path, value: old },
      { op: "replace", path, value },
    ]);
  const saveRaw = async () => {
    try {
      const value = JSON.parse(raw ?? "") as unknown;
      if (await write("PUT", { state: value })) setRaw(null);
    } catch (error) {
      setFailure(error instanceof ApiError ? error : `Not valid JSON: ${(error as Error).message}`);
    }
  };

  const changed = new Set(last?.changes.map((change) => change.path) ?? []);
  return (
    <div class="tab-body">
      <ErrorBanner error={state.error ?? failure} />
      <Section
        title={state.data?.awake === false ? "State (asleep: as committed)" : "State"}
        actions={
          raw === null ? (
            <button type="button" onClick={() => setRaw(JSON.stringify(state.data?.state, null, 2))}>
              Edit as JSON
            </button>
          ) : (
            <>
              <button type="button" class="primary" onClick={() => void saveRaw()}>
                Replace state
              </button>
              <button type="button" onClick={() => setRaw(null)}>
                Cancel
              </button>
            </>
          )
        }
      >
        {raw !== null ? (
          <textarea class="code" aria-label="state JSON" rows={16} value={raw} onInput={(e) => setRaw(e.currentTarget.value)} />
        ) : state.data ? (
          <JsonTree value={state.data.state} changed={changed} onEdit={edit} />
        ) : null}
        <p class="hint">Click a value to edit it (Enter saves, Escape cancels). Edits go through the actor's normal commit path.</p>
      </Section>
      <Section title="Last changes">
        {last === undefined ? (
          <p class="empty">No change since this tab opened.</p>
        ) : (
          <table aria-label="last changes">
            <thead>
              <tr>
                <th>path</th>
                <th>op</th>
                <th>old</th>
                <th>new</th>
              </tr>
            </thead>
            <tbody>
              {last.changes.map((change) => (
                <tr key={change.path} class="changed">
                  <td>
                    <code>{change.path || "(whole state)"}</code>
                  </td>
                  <td>{change.op}</td>
                  <td>{"old" in change ? <Value value={change.old} /> : "–"}</td>
                  <td>{"new" in change ? <Value value={change.new} /> : "–"}</td>
                </tr>
              ))}
            </tbody>
            <caption>
              at {time(last.at)}
              {last.truncated ? " (more changes than shown)" : ""}
            </caption>
          </table>
        )}
      </Section>
    </div>
  );
}
