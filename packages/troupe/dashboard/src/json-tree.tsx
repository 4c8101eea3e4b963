// A JSON value as a tree, with the inspector's tagged forms ({ "$troupe": "map", ... }) shown as
// what they stand for. Leaves reached through objects, arrays and string-keyed maps are editable:
// they have a JSON Pointer into the state itself, which is what a PATCH takes.

import { useState } from "preact/hooks";
import { parseJson, short } from "./format.ts";

export interface TreeProps {
  value: unknown;
  /** Pointers changed by the last diffs: highlighted, and their parents marked. */
  changed?: ReadonlySet<string>;
  /** Present when leaves may be edited: called with the leaf's pointer, its value and the new one. */
  onEdit?: (path: string, old: unknown, value: unknown) => void;
}

type Tagged = { $troupe: string } & Record<string, unknown>;

const isTagged = (value: unknown): value is Tagged =>
  typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as Tagged).$troupe === "string";

const pointer = (parent: string, segment: string | number) => `${parent}/${String(segment).replaceAll("~", "~0").replaceAll("/", "~1")}`;

interface Child {
  label: string;
  value: unknown;
  /** null when the child cannot be addressed by a pointer (a Set's member, a Map entry with a non-string key). */
  path: string | null;
}

/** The children of a container, or undefined for a leaf. */
function childrenOf(value: unknown, path: string | null): { kind: string; children: Child[] } | undefined {
  const at = (segment: string | number) => (path === null ? null : pointer(path, segment));
  if (Array.isArray(value))
    return { kind: `Array(${value.length})`, children: value.map((v, i) => ({ label: String(i), value: v, path: at(i) })) };
  if (isTagged(value)) {
    if (value.$troupe === "map") {
      const entries = value.entries as [unknown, unknown][];
      return {
        kind: `Map(${entries.length})`,
        children: entries.map(([k, v]) => ({
          label: typeof k === "string" ? k : short(k, 40),
          value: v,
          path: typeof k === "string" ? at(k) : null,
        })),
      };
    }
    if (value.$troupe === "set") {
      const values = value.values as unknown[];
      return { kind: `Set(${values.length})`, children: values.map((v, i) => ({ label: String(i), value: v, path: null })) };
    }
    if (value.$troupe === "object") return childrenOf(value.value, path);
    return undefined;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    return { kind: `{${entries.length}}`, children: entries.map(([k, v]) => ({ label: k, value: v, path: at(k) })) };
  }
  return undefined;
}

function leafText(value: unknown): { text: string; tone: string } {
  if (isTagged(value)) {
    const tag = value.$troupe;
    const shown: Record<string, () => string> = {
      date: () => `Date ${value.iso}`,
      bigint: () => `${value.value}n`,
      bytes: () => `${value.type ?? "Uint8Array"} base64:${short(value.base64, 40)}`,
      undefined: () => "undefined",
      number: () => String(value.value),
      regexp: () => `/${value.source}/${value.flags}`,
      truncated: () => `truncated (${value.size} characters)`,
    };
    return { text: shown[tag]?.() ?? `${tag} ${short(value, 60)}`, tone: "tagged" };
  }
  if (typeof value === "string") return { text: JSON.stringify(value), tone: "string" };
  if (value === null) return { text: "null", tone: "null" };
  return { text: String(value), tone: typeof value };
}

function Leaf({ value, path, onEdit }: { value: unknown; path: string | null; onEdit?: TreeProps["onEdit"] }) {
  const [editing, setEditing] = useState<string | null>(null);
  const { text, tone } = leafText(value);
  if (editing !== null && path !== null && onEdit) {
    const commit = () => {
      const parsed = parseJson(editing);
      // A bare word where a string was is taken as that string, so strings need no quotes.
      const next = parsed.ok ? parsed.value : typeof value === "string" ? editing : undefined;
      setEditing(null);
      if (next !== undefined) onEdit(path, value, next);
    };
    return (
      <input
        class="leaf-edit"
        aria-label={`edit ${path}`}
        value={editing}
        // biome-ignore lint/a11y/noAutofocus: the field was opened by a click on the value
        autoFocus
        onInput={(e) => setEditing(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
          if (e.key === "Escape") setEditing(null);
        }}
        onBlur={() => setEditing(null)}
      />
    );
  }
  if (path === null || !onEdit) return <span class={`leaf ${tone}`}>{text}</span>;
  return (
    <button
      type="button"
      class={`leaf ${tone} editable`}
      title="Click to edit"
      data-path={path}
      onClick={() => setEditing(JSON.stringify(value))}
    >
      {text}
    </button>
  );
}

function Node({
  label,
  value,
  path,
  depth,
  props,
}: {
  label: string | null;
  value: unknown;
  path: string | null;
  depth: number;
  props: TreeProps;
}) {
  const [open, setOpen] = useState(depth < 3);
  const container = childrenOf(value, path);
  const changed = path !== null && props.changed?.has(path);
  const within =
    !changed && path !== null && props.changed !== undefined && [...props.changed].some((p) => p.startsWith(`${path}/`) || path === "");
  const rowClass = `row${changed ? " changed" : within ? " changed-within" : ""}`;
  const name = label === null ? null : <span class="key">{label}:</span>;
  if (container === undefined) {
    return (
      <div class={rowClass} data-path={path ?? undefined}>
        {name} <Leaf value={value} path={path} onEdit={props.onEdit} />
      </div>
    );
  }
  return (
    <div class="node" data-path={path ?? undefined}>
      <div class={rowClass}>
        <button type="button" class="toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? "▾" : "▸"}
        </button>
        {name} <span class="kind">{container.kind}</span>
      </div>
      {open && (
        <div class="children">
          {container.children.map((child) => (
            <Node key={child.label} label={child.label} value={child.value} path={child.path} depth={depth + 1} props={props} />
          ))}
        </div>
      )}
    </div>
  );
}

export function JsonTree(props: TreeProps) {
  return (
    <div class="tree">
      <Node label={null} value={props.value} path="" depth={0} props={props} />
    </div>
  );
}
