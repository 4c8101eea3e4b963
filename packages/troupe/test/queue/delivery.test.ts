// The delivery state machine on its own: no actor, no storage, no timers. The test plays the store,
// applying each decision to a plain array of pending messages as the dispatcher does.

import { expect, test } from "vitest";
import { type Decision, type Demand, DeliveryState, type Handout, type Queued } from "../../src/features/queue/delivery.ts";
import type { StoredMessage } from "../../src/features/queue/records.ts";

const MAX_DELIVERIES = 2;

function queued(...names: string[]): StoredMessage[] {
  return names.map((name, i) => ({ id: i + 1, name, body: new Uint8Array(), createdAt: 0, attempts: 0 }));
}

/** The plain array as the store's pending messages look to the state machine. */
function view(pending: StoredMessage[]): Queued {
  return { [Symbol.iterator]: () => pending[Symbol.iterator](), has: (message) => pending.includes(message) };
}

function demand(owner: object, options: Partial<Omit<Demand, "owner" | "names">> & { names?: string[] } = {}): Demand {
  return {
    owner,
    names: options.names ? new Set(options.names) : undefined,
    count: options.count ?? 1,
    completable: options.completable ?? false,
  };
}

/** What the store does with a decision: count completable deliveries, remove plain and dead messages. */
function apply(pending: StoredMessage[], decision: { handed?: Handout[]; dead: StoredMessage[] }): void {
  for (const { message, delivery } of decision.handed ?? []) {
    if (delivery) message.attempts++;
    else pending.splice(pending.indexOf(message), 1);
  }
  for (const message of decision.dead) pending.splice(pending.indexOf(message), 1);
}

function take(state: DeliveryState, pending: StoredMessage[], wanted: Demand): Decision {
  const decision = state.take(view(pending), wanted);
  apply(pending, decision);
  return decision;
}

const ids = (handed: ReadonlyArray<{ message: StoredMessage }>) => handed.map((h) => h.message.id);
const idsOf = (messages: readonly StoredMessage[]) => messages.map((m) => m.id);

test("messages go out in FIFO order across names; a receive that filters names skips the others", () => {
  const state = new DeliveryState(MAX_DELIVERIES);
  const pending = queued("a", "b", "c", "a");
  const owner = {};
  expect(ids(take(state, pending, demand(owner, { names: ["a", "b"], count: 2 })).handed)).toEqual([1, 2]);
  expect(ids(take(state, pending, demand(owner, { names: ["b"] })).handed)).toEqual([]);
  expect(ids(take(state, pending, demand(owner, { names: ["a"] })).handed)).toEqual([4]);
  expect(ids(take(state, pending, demand(owner)).handed)).toEqual([3]);
  expect(pending).toEqual([]);
});

test("a batch takes at most its count, and fewer when fewer are there", () => {
  const state = new DeliveryState(MAX_DELIVERIES);
  const pending = queued("a", "a", "a");
  expect(ids(take(state, pending, demand({}, { count: 2 })).handed)).toEqual([1, 2]);
  expect(ids(take(state, pending, demand({}, { count: 5 })).handed)).toEqual([3]);
  expect(ids(take(state, pending, demand({}, { count: 5 })).handed)).toEqual([]);
});

test("a plain handout has no delivery and leaves the queue; a completable one is held by its owner and stays", () => {
  const state = new DeliveryState(MAX_DELIVERIES);
  const pending = queued("a", "a");
  const owner = {};
  const [plain] = take(state, pending, demand(owner)).handed;
  expect(plain?.delivery).toBeUndefined();
  expect(state.held(owner)).toEqual([]);
  const [completable] = take(state, pending, demand(owner, { completable: true })).handed;
  expect(completable?.delivery).toEqual({ message: pending[0], owner });
  expect(state.held(owner)).toEqual([2]);
  expect(idsOf(pending)).toEqual([2]);
  state.completed(2, completable?.delivery);
  expect(state.held(owner)).toEqual([]);
});

test("a message one owner holds is given to no other, plain or completable, until it is released", () => {
  const state = new DeliveryState(MAX_DELIVERIES);
  const pending = queued("a", "a");
  const first = {};
  const second = {};
  expect(ids(take(state, pending, demand(first, { completable: true })).handed)).toEqual([1]);
  expect(ids(take(state, pending, demand(second, { completable: true, count: 2 })).handed)).toEqual([2]);
  expect(ids(take(state, pending, demand({}, { count: 2 })).handed)).toEqual([]);
  expect(state.held(first)).toEqual([1]);
  expect(state.held(second)).toEqual([2]);
});

test("what an owner did not complete is released when it ends and goes to the next receive, attempts counted", () => {
  const state = new DeliveryState(MAX_DELIVERIES);
  const pending = queued("a", "a");
  const first = {};
  const [completed] = take(state, pending, demand(first, { completable: true, count: 2 })).handed;
  expect(ids(state.take(view(pending), demand({})).handed)).toEqual([]);
  state.completed(1, completed?.delivery);
  pending.shift();
  const released = state.release(first, view(pending));
  expect(ids(released.released)).toEqual([2]);
  expect(released.dead).toEqual([]);
  expect(state.held(first)).toEqual([]);
  const again = take(state, pending, demand({}, { completable: true }));
  expect(ids(again.handed)).toEqual([2]);
  expect(pending[0]?.attempts).toBe(2);
  // An owner that holds nothing releases nothing.
  expect(state.release(first, view(pending))).toEqual({ released: [], dead: [] });
});

test("a message that had maxDeliveries completable deliveries is dead-lettered when its owner ends", () => {
  const state = new DeliveryState(MAX_DELIVERIES);
  const pending = queued("a", "b");
  for (let attempt = 1; attempt < MAX_DELIVERIES; attempt++) {
    const owner = {};
    take(state, pending, demand(owner, { names: ["a"], completable: true }));
    expect(state.release(owner, view(pending)).dead).toEqual([]);
  }
  const last = {};
  take(state, pending, demand(last, { names: ["a"], completable: true }));
  const released = state.release(last, view(pending));
  expect(released.dead.map((m) => [m.id, m.attempts])).toEqual([[1, MAX_DELIVERIES]]);
  apply(pending, released);
  expect(ids(take(state, pending, demand({}, { completable: true })).handed)).toEqual([2]);
});

test("a receive dead-letters a message that had all its deliveries (after a crash) instead of handing it out", () => {
  const state = new DeliveryState(MAX_DELIVERIES);
  const pending = queued("a", "b", "a");
  (pending[0] as StoredMessage).attempts = MAX_DELIVERIES;
  // One filtering it out leaves it alone.
  expect(take(state, pending, demand({}, { names: ["b"] })).dead).toEqual([]);
  const decision = take(state, pending, demand({}, { count: 1 }));
  expect(idsOf(decision.dead)).toEqual([1]);
  expect(ids(decision.handed)).toEqual([3]);
  expect(pending).toEqual([]);
});

test("completing a message by id takes it out of flight but leaves it counted against the owner that held it", () => {
  const state = new DeliveryState(MAX_DELIVERIES);
  const pending = queued("a");
  // Its last delivery: but once completed it is no longer queued, so it is not dead-lettered.
  (pending[0] as StoredMessage).attempts = MAX_DELIVERIES - 1;
  const owner = {};
  take(state, pending, demand(owner, { completable: true }));
  state.completed(1);
  expect(state.held(owner)).toEqual([1]);
  pending.shift();
  expect(state.release(owner, view(pending)).dead).toEqual([]);
  expect(state.held(owner)).toEqual([]);
});

test("dispatch serves waiting receives oldest first, each message once, and keeps waiting those it cannot serve", () => {
  const state = new DeliveryState<Demand>(MAX_DELIVERIES);
  const pending: StoredMessage[] = [];
  const first = demand({}, { names: ["a"] });
  const second = demand({}, { names: ["a", "b"], count: 2, completable: true });
  const third = demand({}, { names: ["c"] });
  for (const receive of [first, second, third]) state.wait(receive);
  expect(state.dispatch(view(pending))).toEqual({ served: [], dead: [] });
  pending.push(...queued("a", "a", "b"));
  (pending[2] as StoredMessage).attempts = MAX_DELIVERIES;
  const decision = state.dispatch(view(pending));
  expect(decision.served.map((s) => [s.receive, ids(s.handed)])).toEqual([
    [first, [1]],
    [second, [2]],
  ]);
  expect(idsOf(decision.dead)).toEqual([3]);
  apply(pending, { handed: decision.served.flatMap((s) => s.handed), dead: decision.dead });
  expect(idsOf(pending)).toEqual([2]);
  // Served receives no longer wait; the third still does, until it is cancelled.
  pending.push({ ...(queued("a")[0] as StoredMessage), id: 4 });
  expect(state.dispatch(view(pending)).served).toEqual([]);
  state.cancel(third);
  pending.push({ ...(queued("c")[0] as StoredMessage), id: 5 });
  expect(state.dispatch(view(pending)).served).toEqual([]);
});
