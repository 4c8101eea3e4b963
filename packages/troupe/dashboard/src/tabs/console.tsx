// Console: call one of the actor's actions with JSON arguments, as a call from inside the actor,
// and see what it answered; the calls of this session stay listed, newest first.

import { useState } from "preact/hooks";
import { type ApiError, api, seg } from "../api.ts";
import { duration, parseJson, short } from "../format.ts";
import type { ActorDefinition } from "../types.ts";
import { Badge, ErrorBanner, Section, Value } from "../ui.tsx";

interface Call {
  n: number;
  action: string;
  args: unknown[];
  ok: boolean;
  output?: unknown;
  error?: { group: string; code: string; message: string };
  durationMs: number;
}

export function ConsoleTab({ id, definition }: { id: string; definition: ActorDefinition }) {
  const [action, setAction] = useState(definition.actions[0] ?? "");
  const [args, setArgs] = useState("[]");
  const [calls, setCalls] = useState<Call[]>([]);
  const [failure, setFailure] = useState<ApiError | string | undefined>(undefined);
  const call = async () => {
    const parsed = parseJson(args);
    if (!parsed.ok || !Array.isArray(parsed.value))
      return setFailure(parsed.ok ? 'The arguments must be a JSON array, e.g. [1, "a"].' : parsed.message);
    try {
      const answer = await api<Omit<Call, "n" | "action" | "args">>("POST", `/actors/${seg(id)}/actions/${seg(action)}`, {
        args: parsed.value,
      });
      setFailure(undefined);
      setCalls((list) => [{ n: (list[0]?.n ?? 0) + 1, action, args: parsed.value as unknown[], ...answer }, ...list]);
    } catch (error) {
      setFailure(error as ApiError);
    }
  };
  return (
    <div class="tab-body">
      <Section title="Call an action">
        <div class="form-row">
          <select aria-label="action" value={action} onChange={(e) => setAction(e.currentTarget.value)}>
            {definition.actions.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
          <input
            class="code grow"
            aria-label="arguments"
            value={args}
            onInput={(e) => setArgs(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") void call();
            }}
          />
          <button type="button" class="primary" onClick={() => void call()}>
            Call
          </button>
        </div>
        <p class="hint">
          Arguments are a JSON array. The call runs inside the actor, like a schedule's: no connection, no connection hooks.
        </p>
        <ErrorBanner error={failure} />
      </Section>
      <Section title="Results">
        <ol class="calls" aria-label="console results">
          {calls.map((c) => (
            <li key={c.n} class={c.ok ? "ok" : "failed"}>
              <code>
                {c.action}({short(c.args, 80).slice(1, -1)})
              </code>{" "}
              {c.ok ? <Badge tone="good">ok</Badge> : <Badge tone="bad">{`${c.error?.group}.${c.error?.code}`}</Badge>}{" "}
              <span class="muted">{duration(c.durationMs)}</span>
              <div class="result">{c.ok ? <Value value={c.output} max={400} /> : <span class="error-text">{c.error?.message}</span>}</div>
            </li>
          ))}
        </ol>
      </Section>
    </div>
  );
}
