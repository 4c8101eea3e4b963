// Queue: pending messages (in-flight ones marked), dead letters with replay and delete, and a form
// to send a message as the actor itself would.

import { useState } from "preact/hooks";
import { type ApiError, api, seg } from "../api.ts";
import { parseJson, time } from "../format.ts";
import { useLive } from "../live.ts";
import type { ActorDefinition } from "../types.ts";
import { Badge, Empty, ErrorBanner, Section, Value } from "../ui.tsx";

interface Message {
  id: number;
  queue: string;
  body: unknown;
  createdAt: number;
  attempts: number;
  inFlight?: boolean;
  failedAt?: number;
}

interface QueueContents {
  size: number;
  maxSize: number;
  pending: Message[];
  deadLetters: Message[];
  truncated: boolean;
}

function Messages({
  label,
  messages,
  dead,
  act,
}: {
  label: string;
  messages: Message[];
  dead: boolean;
  act: (what: string, ids: number[]) => void;
}) {
  if (messages.length === 0) return <Empty>{dead ? "No dead letters." : "The queue is empty."}</Empty>;
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          <th>id</th>
          <th>queue</th>
          <th>body</th>
          <th>created</th>
          <th>attempts</th>
          <th>{dead ? "failed" : ""}</th>
          {dead && <th />}
        </tr>
      </thead>
      <tbody>
        {messages.map((message) => (
          <tr key={message.id} data-message={message.id}>
            <td>{message.id}</td>
            <td>{message.queue}</td>
            <td>
              <Value value={message.body} />
            </td>
            <td>{time(message.createdAt)}</td>
            <td>{message.attempts}</td>
            <td>{dead ? time(message.failedAt) : message.inFlight ? <Badge tone="warn">in flight</Badge> : null}</td>
            {dead && (
              <td class="row-actions">
                <button type="button" onClick={() => act("replay", [message.id])}>
                  Replay
                </button>
                <button type="button" class="danger" onClick={() => act("delete", [message.id])}>
                  Delete
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function QueueTab({ id, definition }: { id: string; definition: ActorDefinition }) {
  const contents = useLive(() => api<QueueContents>("GET", `/actors/${seg(id)}/queue`), [id], ["queue"]);
  const [failure, setFailure] = useState<ApiError | string | undefined>(undefined);
  const [queueName, setQueueName] = useState(definition.queues?.[0] ?? "");
  const [body, setBody] = useState("{}");
  const [done, setDone] = useState("");

  const run = async (method: string, path: string, payload: unknown, said: (answer: Record<string, unknown>) => string) => {
    try {
      const answer = await api(method, `/actors/${seg(id)}/queue${path}`, payload);
      setFailure(undefined);
      setDone(said(answer));
      contents.reload();
    } catch (error) {
      setFailure(error as ApiError);
    }
  };
  const act = (what: string, ids: number[] | "all") =>
    void run("POST", `/dead-letters/${what}`, ids === "all" ? { all: true } : { ids }, (a) =>
      what === "replay" ? `Replayed ${a.replayed}.` : `Deleted ${a.deleted}.`,
    );
  const send = () => {
    const parsed = parseJson(body);
    if (!parsed.ok) return setFailure(parsed.message);
    void run("POST", "", { queue: queueName, body: parsed.value }, (a) => `Sent message ${a.id}.`);
  };

  const data = contents.data;
  return (
    <div class="tab-body">
      <ErrorBanner error={contents.error ?? failure} />
      {done && <p class="notice">{done}</p>}
      <Section title={data ? `Pending (${data.size} of at most ${data.maxSize})` : "Pending"}>
        {data && <Messages label="pending messages" messages={data.pending} dead={false} act={act} />}
      </Section>
      <Section
        title={`Dead letters${data ? ` (${data.deadLetters.length}${data.truncated ? "+" : ""})` : ""}`}
        actions={
          data && data.deadLetters.length > 0 ? (
            <>
              <button type="button" onClick={() => act("replay", "all")}>
                Replay all
              </button>
              <button type="button" class="danger" onClick={() => act("delete", "all")}>
                Delete all
              </button>
            </>
          ) : null
        }
      >
        {data && <Messages label="dead letters" messages={data.deadLetters} dead act={act} />}
      </Section>
      <Section title="Send a message">
        <div class="form-row">
          {definition.queues ? (
            <select aria-label="queue name" value={queueName} onChange={(e) => setQueueName(e.currentTarget.value)}>
              {definition.queues.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          ) : (
            <input
              aria-label="queue name"
              placeholder="queue name"
              value={queueName}
              onInput={(e) => setQueueName(e.currentTarget.value)}
            />
          )}
          <input class="code grow" aria-label="message body" value={body} onInput={(e) => setBody(e.currentTarget.value)} />
          <button type="button" class="primary" onClick={send}>
            Send
          </button>
        </div>
      </Section>
    </div>
  );
}
