// Database: the actor's SQLite tables with their columns and rows page by page, read-only SQL
// queries, and the actor's c.kv entries by prefix.

import { useState } from "preact/hooks";
import { type ApiError, api, seg } from "../api.ts";
import { parseJson } from "../format.ts";
import { useLive } from "../live.ts";
import type { ActorDefinition } from "../types.ts";
import { Empty, ErrorBanner, RowsTable, Section, Value } from "../ui.tsx";

const PAGE = 50;

interface Table {
  table: { name: string; type: string };
  columns: { name: string; type: string; pk: number; notnull: number }[];
  records: number;
}

type Row = Record<string, unknown>;

function Tables({ id }: { id: string }) {
  const tables = useLive(() => api<{ tables: Table[] }>("GET", `/actors/${seg(id)}/db/tables`), [id], null);
  const [open, setOpen] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  const rows = useLive(
    () =>
      open === null
        ? Promise.resolve(undefined)
        : api<{ rows: Row[] }>("GET", `/actors/${seg(id)}/db/tables/${seg(open)}/rows?limit=${PAGE}&offset=${offset}`),
    [id, open, offset],
    null,
  );
  const list = tables.data?.tables ?? [];
  const table = list.find((t) => t.table.name === open);
  return (
    <Section
      title="Tables"
      actions={
        <button type="button" onClick={tables.reload}>
          Refresh
        </button>
      }
    >
      <ErrorBanner error={tables.error ?? rows.error} />
      <div class="split">
        <ul class="table-list" aria-label="tables">
          {list.map((t) => (
            <li key={t.table.name}>
              <button
                type="button"
                class={t.table.name === open ? "selected" : ""}
                onClick={() => {
                  setOpen(t.table.name);
                  setOffset(0);
                }}
              >
                {t.table.name} <span class="muted">{t.table.type === "view" ? "view" : `${t.records} rows`}</span>
              </button>
            </li>
          ))}
          {tables.data && list.length === 0 && <Empty>No table.</Empty>}
        </ul>
        <div class="grow">
          {table && (
            <>
              <p class="columns">
                {table.columns.map((c) => (
                  <span key={c.name} class="column">
                    {c.name} <span class="muted">{c.type || "ANY"}</span>
                    {c.pk ? " PK" : ""}
                  </span>
                ))}
              </p>
              {rows.data && <RowsTable rows={rows.data.rows} label={`rows of ${table.table.name}`} />}
              <div class="pager">
                <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                  ← Previous
                </button>
                <span>
                  rows {offset + 1}–{offset + (rows.data?.rows.length ?? 0)} of {table.records}
                </span>
                <button type="button" disabled={(rows.data?.rows.length ?? 0) < PAGE} onClick={() => setOffset(offset + PAGE)}>
                  Next →
                </button>
              </div>
            </>
          )}
        </div>
      </div>
    </Section>
  );
}

function Query({ id }: { id: string }) {
  const [sql, setSql] = useState("SELECT name FROM sqlite_schema WHERE type = 'table'");
  const [args, setArgs] = useState("");
  const [result, setResult] = useState<Row[] | undefined>(undefined);
  const [failure, setFailure] = useState<ApiError | string | undefined>(undefined);
  const run = async () => {
    const parsed = args.trim() === "" ? { ok: true as const, value: undefined } : parseJson(args);
    if (!parsed.ok) return setFailure(parsed.message);
    try {
      setResult((await api<{ rows: Row[] }>("POST", `/actors/${seg(id)}/db/query`, { sql, args: parsed.value })).rows);
      setFailure(undefined);
    } catch (error) {
      setResult(undefined);
      setFailure(error as ApiError);
    }
  };
  return (
    <Section title="SQL (read-only)">
      <textarea
        class="code"
        aria-label="SQL query"
        rows={3}
        value={sql}
        onInput={(e) => setSql(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void run();
        }}
      />
      <div class="form-row">
        <input
          class="code grow"
          aria-label="query arguments"
          placeholder='arguments, e.g. [1] or {"name": "ada"}'
          value={args}
          onInput={(e) => setArgs(e.currentTarget.value)}
        />
        <button type="button" class="primary" onClick={() => void run()}>
          Run
        </button>
      </div>
      <ErrorBanner error={failure} />
      {result && (
        <>
          <p class="muted">{result.length} rows</p>
          <RowsTable rows={result} label="query result" />
        </>
      )}
    </Section>
  );
}

interface KvBytes {
  text?: string;
  base64?: string;
}
interface KvEntry {
  key: KvBytes;
  value: KvBytes;
  size: number;
  truncated: boolean;
}

const bytesText = (b: KvBytes) => (b.text !== undefined ? b.text : `base64:${b.base64}`);

function Kv({ id }: { id: string }) {
  const [prefix, setPrefix] = useState("");
  const [pages, setPages] = useState<string[]>([""]);
  const cursor = pages.at(-1) ?? "";
  const page = useLive(
    () =>
      api<{ entries: KvEntry[]; next: string | null }>(
        "GET",
        `/actors/${seg(id)}/kv?limit=${PAGE}&prefix=${seg(prefix)}${cursor ? `&cursor=${seg(cursor)}` : ""}`,
      ),
    [id, prefix, cursor],
    ["commit"],
  );
  const entries = page.data?.entries ?? [];
  return (
    <Section title="KV (c.kv)">
      <div class="form-row">
        <input
          aria-label="KV prefix"
          placeholder="key prefix"
          value={prefix}
          onInput={(e) => {
            setPrefix(e.currentTarget.value);
            setPages([""]);
          }}
        />
      </div>
      <ErrorBanner error={page.error} />
      {entries.length === 0 ? (
        <Empty>No key{prefix ? ` starting with "${prefix}"` : ""}.</Empty>
      ) : (
        <table aria-label="kv entries">
          <thead>
            <tr>
              <th>key</th>
              <th>value</th>
              <th>size</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={bytesText(entry.key)}>
                <td>
                  <code>{bytesText(entry.key)}</code>
                </td>
                <td>
                  <Value value={bytesText(entry.value)} />
                  {entry.truncated && <span class="muted"> (cut)</span>}
                </td>
                <td>{entry.size} B</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="pager">
        <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
          ← Previous
        </button>
        <button type="button" disabled={!page.data?.next} onClick={() => page.data?.next && setPages([...pages, page.data.next])}>
          Next →
        </button>
      </div>
    </Section>
  );
}

export function DatabaseTab({ id, definition }: { id: string; definition: ActorDefinition }) {
  return (
    <div class="tab-body">
      {definition.database ? (
        <>
          <Tables id={id} />
          <Query id={id} />
        </>
      ) : (
        <Section title="Database">
          <Empty>
            This actor has no <Value value="db" /> database; its key-value store is below.
          </Empty>
        </Section>
      )}
      <Kv id={id} />
    </div>
  );
}
