// Connections: every open connection with its params, state and subscriptions; disconnect one.

import { useState } from "preact/hooks";
import { type ApiError, api, seg } from "../api.ts";
import { useLive } from "../live.ts";
import { Empty, ErrorBanner, Section, Value } from "../ui.tsx";

interface Connection {
  id: string;
  params: unknown;
  state: unknown;
  subscriptions: string[];
}

export function ConnectionsTab({ id }: { id: string }) {
  const list = useLive(() => api<{ connections: Connection[] }>("GET", `/actors/${seg(id)}/connections`), [id], ["connection"]);
  const [failure, setFailure] = useState<ApiError | undefined>(undefined);
  const disconnect = async (connId: string) => {
    try {
      await api("DELETE", `/actors/${seg(id)}/connections/${seg(connId)}`);
      setFailure(undefined);
      list.reload();
    } catch (error) {
      setFailure(error as ApiError);
    }
  };
  const connections = list.data?.connections ?? [];
  return (
    <div class="tab-body">
      <ErrorBanner error={list.error ?? failure} />
      <Section title={`Connections (${connections.length})`}>
        {connections.length === 0 ? (
          <Empty>No open connection.</Empty>
        ) : (
          <table aria-label="connections">
            <thead>
              <tr>
                <th>id</th>
                <th>params</th>
                <th>state</th>
                <th>subscriptions</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {connections.map((conn) => (
                <tr key={conn.id}>
                  <td>
                    <code>{conn.id}</code>
                  </td>
                  <td>
                    <Value value={conn.params} />
                  </td>
                  <td>
                    <Value value={conn.state} />
                  </td>
                  <td>{conn.subscriptions.join(", ") || "–"}</td>
                  <td>
                    <button type="button" class="danger" onClick={() => void disconnect(conn.id)}>
                      Disconnect
                    </button>
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
