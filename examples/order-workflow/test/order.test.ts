import { setupTest } from "troupe/test";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { type OrderState, orderRegistry } from "../src/order.ts";
import { Inventory, PaymentGateway } from "../src/services.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const realImmediate = globalThis.setImmediate;

/** Polls the order between real event-loop turns (commits run there) until `check` holds. */
async function until(read: () => Promise<OrderState>, check: (state: OrderState) => boolean): Promise<OrderState> {
  let state = await read();
  for (let i = 0; i < 2_000 && !check(state); i++) {
    await new Promise((resolve) => realImmediate(resolve));
    state = await read();
  }
  expect(check(state), `order state: ${JSON.stringify(state)}`).toBe(true);
  return state;
}

function setupOrder(failures: number) {
  const payments = new PaymentGateway({ failures });
  const inventory = new Inventory();
  const t = setupTest(orderRegistry({ payments, inventory }));
  const order = t.client.order.getOrCreate(["o-1"], { createWithInput: { items: ["book", "lamp"], amount: 4200 } });
  return { t, order, payments, inventory };
}

test("a payment that fails twice is retried after 1 s and 2 s; the order is then paid once and shipped", async () => {
  const { order, payments } = setupOrder(2);
  await until(order.status, (s) => s.retries.length === 1);
  await vi.advanceTimersByTimeAsync(1_000);
  await until(order.status, (s) => s.retries.length === 2);
  await vi.advanceTimersByTimeAsync(2_000);
  const paid = await until(order.status, (s) => s.status === "paid");
  expect(paid.retries).toEqual([
    { attempt: 1, retryDelay: 1_000, message: "payment gateway unavailable" },
    { attempt: 2, retryDelay: 2_000, message: "payment gateway unavailable" },
  ]);
  expect(payments.calls).toBe(3);

  await order.send("packed", { trackingNumber: "TRK-1" });
  const shipped = await until(order.status, (s) => s.status === "shipped");
  expect(shipped).toMatchObject({ paymentId: "pay_o-1", trackingNumber: "TRK-1" });
  expect([...payments.charges.values()]).toEqual([{ amount: 4200, refunded: false }]);
});

test("a crash while the order waits for the warehouse loses nothing and charges nothing again", async () => {
  const { t, order, payments } = setupOrder(0);
  await until(order.status, (s) => s.status === "paid");
  await t.crash();
  await order.send("packed", { trackingNumber: "TRK-2" });
  await until(order.status, (s) => s.status === "shipped");
  expect(payments.calls).toBe(1);
});

test("an order the warehouse never packs is cancelled after 3 days: the payment is refunded and the stock released", async () => {
  const { order, payments, inventory } = setupOrder(0);
  await until(order.status, (s) => s.status === "paid");
  expect(inventory.reserved.size).toBe(1);
  await vi.advanceTimersByTimeAsync(3 * 86_400_000);
  const cancelled = await until(order.status, (s) => s.status === "cancelled");
  expect(cancelled.reason).toBe('Step "ship" failed: the warehouse did not pack the order within 3 days');
  expect([...payments.charges.values()]).toEqual([{ amount: 4200, refunded: true }]);
  expect(inventory.reserved.size).toBe(0);
});
