// A large state encoded by its members (actor/state-encoding.ts) decodes, after every kind of write
// through c.state, to exactly what one encoding of the whole state decodes to: seeded random runs
// of writes, moves, aliases, Maps, Dates and deletions, checked after each step.

import { expect, test } from "vitest";
import { decodeCbor, encodeCbor } from "../../src/base/cbor.ts";
import { StateEncoding } from "../../src/actor/state-encoding.ts";
import { StateTracker } from "../../src/actor/state-proxy.ts";
import { seededRandom } from "../support/seeded-random.ts";

interface Item {
  n: number;
  text: string;
  tags: string[];
  meta?: Map<string, { v: number }>;
  when?: Date;
  extra?: number;
}
interface State {
  title: string;
  items: Item[];
  index: Record<string, Item>;
  pages: Record<string, { body: string; lines: string[] }>;
  /** Containers in containers: each chapter and its lines are written member by member too. */
  book: Record<string, { title: string; lines: string[] }>;
}

const item = (n: number): Item => ({ n, text: `item ${n} `.repeat(4), tags: ["a", "b"] });

function bigState(): State {
  const pages: State["pages"] = {};
  for (let p = 0; p < 40; p++) pages[`p${p}`] = { body: "x".repeat(200), lines: Array.from({ length: 30 }, (_, i) => `line ${i}`) };
  const book: State["book"] = {};
  for (let c = 0; c < 5; c++)
    book[`c${c}`] = { title: `chapter ${c}`, lines: Array.from({ length: 300 }, (_, i) => `chapter ${c} line ${i}`) };
  return { title: "", items: Array.from({ length: 2_000 }, (_, n) => item(n)), index: {}, pages, book };
}

/** A tracked state whose writes reach `encoding`, as ActorState wires them. */
function tracked(raw: State, encoding: StateEncoding): State {
  const tracker = new StateTracker({ beforeStateWrite: () => {}, stateChanged: (target, key) => target && encoding.touched(target, key) });
  return tracker.root(raw);
}

type Step = (state: State, pick: (n: number) => number) => void;

const steps: Record<string, Step> = {
  field: (s, pick) => {
    (s.items[pick(s.items.length)] as Item).text = `edited ${pick(1000)}`;
  },
  title: (s, pick) => {
    s.title = `title ${pick(1000)}`;
  },
  push: (s, pick) => {
    s.items.push(item(10_000 + pick(1000)));
  },
  pop: (s) => {
    s.items.pop();
  },
  truncate: (s, pick) => {
    s.items.length = Math.max(0, s.items.length - pick(3));
  },
  shift: (s) => {
    s.items.shift();
  },
  unshift: (s, pick) => {
    s.items.unshift(item(20_000 + pick(1000)));
  },
  splice: (s, pick) => {
    s.items.splice(pick(s.items.length), 2, item(30_000 + pick(1000)));
  },
  reverse: (s) => {
    s.items.reverse();
  },
  sort: (s) => {
    s.items.sort((a, b) => (a.text < b.text ? -1 : 1));
  },
  tag: (s, pick) => {
    (s.items[pick(s.items.length)] as Item).tags.push(`t${pick(100)}`);
  },
  deleteKey: (s, pick) => {
    delete (s.items[pick(s.items.length)] as Item).extra;
    (s.items[pick(s.items.length)] as Item).extra = pick(100);
  },
  // The same object in two places: a write through one path shows in both.
  alias: (s, pick) => {
    s.index[`k${pick(20)}`] = s.items[pick(s.items.length)] as Item;
  },
  writeAlias: (s, pick) => {
    const keys = Object.keys(s.index);
    if (keys.length > 0) (s.index[keys[pick(keys.length)] as string] as Item).n += 1;
  },
  duplicate: (s, pick) => {
    s.items[pick(s.items.length)] = s.items[pick(s.items.length)] as Item;
  },
  map: (s, pick) => {
    const target = s.items[pick(s.items.length)] as Item;
    if (target.meta === undefined) target.meta = new Map([["a", { v: 1 }]]);
    else (target.meta.get("a") as { v: number }).v += 1;
  },
  date: (s, pick) => {
    const target = s.items[pick(s.items.length)] as Item;
    if (target.when === undefined) target.when = new Date(1_800_000_000_000);
    else target.when.setTime(target.when.getTime() + 1_000);
  },
  page: (s, pick) => {
    const page = s.pages[`p${pick(40)}`];
    if (page) page.lines[pick(page.lines.length)] = `changed ${pick(1000)}`;
  },
  line: (s, pick) => {
    const chapter = s.book[`c${pick(5)}`];
    if (chapter) chapter.lines[pick(chapter.lines.length)] = `rewritten ${pick(1000)}`;
  },
  moveLine: (s, pick) => {
    const [from, to] = [s.book[`c${pick(5)}`], s.book[`c${pick(5)}`]];
    if (from && to && from.lines.length > 0) to.lines.splice(pick(to.lines.length), 0, ...from.lines.splice(pick(from.lines.length), 1));
  },
  swapChapters: (s, pick) => {
    const [a, b] = [`c${pick(5)}`, `c${pick(5)}`];
    [s.book[a], s.book[b]] = [s.book[b] as State["book"][string], s.book[a] as State["book"][string]];
  },
  // One container in two places; a later write through either shows in both.
  shareChapter: (s, pick) => {
    s.book.shared = s.book[`c${pick(5)}`] as State["book"][string];
  },
  grow: (s, pick) => {
    // A member that outgrows the size kept whole is then written member by member.
    const target = s.items[pick(s.items.length)] as Item;
    for (let i = 0; i < 300; i++) target.tags.push(`grown tag ${i}`);
  },
};

test.each([1, 2, 3, 4, 5, 6])("seed %i: after every write, the encoding by members decodes to the state", (seed) => {
  const pick = (
    (next) => (n: number) =>
      Math.floor(next() * n)
  )(seededRandom(seed));
  const raw = bigState();
  const encoding = new StateEncoding();
  const state = tracked(raw, encoding);
  const names = Object.keys(steps);
  const done: string[] = [];
  for (let i = 0; i < 150; i++) {
    const name = names[pick(names.length)] as string;
    (steps[name] as Step)(state, pick);
    done.push(name);
    if (i % 3 !== 0) continue;
    const decoded = decodeCbor(encoding.encode(raw));
    expect(decoded, `after ${done.join(", ")}`).toStrictEqual(decodeCbor(encodeCbor(raw)));
  }
});

test("a commit encodes again only the members a write reached through c.state", () => {
  const raw = bigState();
  const encoding = new StateEncoding();
  const state = tracked(raw, encoding);
  expect(encoding.encode(raw).length).toBeGreaterThan(64 * 1024);
  (state.items[1_000] as Item).text = "changed";
  // Not through c.state: not seen, so this member's kept bytes are copied as they were.
  (raw.items[5] as Item).text = "unseen";
  const decoded = decodeCbor(encoding.encode(raw)) as State;
  expect(decoded.items[1_000]?.text).toBe("changed");
  expect(decoded.items[5]?.text).toBe(item(5).text);
  // Written through c.state next, the member is encoded again with both changes.
  (state.items[5] as Item).n = 5;
  expect((decodeCbor(encoding.encode(raw)) as State).items[5]?.text).toBe("unseen");
});

test("an object shared by two members new in the same commit is written again in both after a write to it", () => {
  const raw = bigState();
  const encoding = new StateEncoding();
  const state = tracked(raw, encoding);
  encoding.encode(raw);
  const tags = ["shared"];
  state.items.push({ ...item(1), tags }, { ...item(2), tags });
  encoding.encode(raw);
  state.items.at(-1)?.tags.push("written");
  const decoded = decodeCbor(encoding.encode(raw)) as State;
  expect(decoded.items.slice(-2).map((member) => member.tags)).toEqual([
    ["shared", "written"],
    ["shared", "written"],
  ]);
});

test("an object in a member and in an element appended beside it is written again in both after a write to it", () => {
  const raw = bigState();
  const encoding = new StateEncoding();
  const state = tracked(raw, encoding);
  encoding.encode(raw);
  const shared = state.items[3] as Item;
  state.items.push({ ...item(1), tags: shared.tags });
  encoding.encode(raw);
  shared.tags.push("written");
  const decoded = decodeCbor(encoding.encode(raw)) as State;
  expect([decoded.items[3]?.tags, decoded.items.at(-1)?.tags]).toEqual([
    ["a", "b", "written"],
    ["a", "b", "written"],
  ]);
});
