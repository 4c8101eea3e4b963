// Small pieces every tab uses: errors, badges, tables of JSON values, sections.

import type { ComponentChildren } from "preact";
import type { ApiError } from "./api.ts";
import { short } from "./format.ts";

export function ErrorBanner({ error }: { error: ApiError | string | undefined }) {
  if (error === undefined) return null;
  return (
    <div class="error" role="alert">
      {typeof error === "string" ? error : `${error.label}: ${error.message}`}
    </div>
  );
}

export function Badge({ tone, children }: { tone: string; children: ComponentChildren }) {
  return <span class={`badge ${tone}`}>{children}</span>;
}

const TONES: Record<string, string> = {
  running: "good",
  completed: "good",
  ok: "good",
  starting: "warn",
  stopping: "warn",
  retrying: "warn",
  waiting: "info",
  rolling_back: "warn",
  asleep: "muted",
  remote: "info",
  failed: "bad",
  error: "bad",
  blocked: "bad",
  skipped: "muted",
};

export function Status({ status }: { status: string }) {
  return <Badge tone={TONES[status] ?? "muted"}>{status}</Badge>;
}

/** A value as one line of JSON, whole in its tooltip. */
export function Value({ value, max }: { value: unknown; max?: number }) {
  return (
    <code class="value" title={JSON.stringify(value, null, 2)}>
      {short(value, max)}
    </code>
  );
}

export function Section({ title, actions, children }: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="panel">
      <header>
        <h3>{title}</h3>
        <div class="actions">{actions}</div>
      </header>
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/** Rows of objects as a table, one column per key seen. */
export function RowsTable({ rows, label }: { rows: Record<string, unknown>[]; label: string }) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  if (rows.length === 0) return <Empty>No rows.</Empty>;
  return (
    <div class="scroll">
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column}>{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((column) => (
                <td key={column}>{typeof row[column] === "string" ? row[column] : <Value value={row[column]} />}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
