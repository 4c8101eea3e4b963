// An order as a durable workflow. Each step is recorded when it completes, so a crash, a deploy or
// the actor sleeping while it waits for the warehouse never charges twice or loses the order.

import { actor, queue, setup } from "troupe";
import { CriticalError, workflow } from "troupe/workflow";
import type { Inventory, PaymentGateway } from "./services.ts";

export interface OrderInput {
  items: string[];
  amount: number;
}

export type OrderStatus = "placed" | "paid" | "shipped" | "cancelled";

export interface OrderState {
  status: OrderStatus;
  items: string[];
  amount: number;
  paymentId?: string;
  trackingNumber?: string;
  reason?: string;
  /** Payment attempts that failed and will be retried, as onError reported them. */
  retries: Array<{ attempt: number; retryDelay?: number; message: string }>;
}

export function orderActor(services: { payments: PaymentGateway; inventory: Inventory }) {
  return actor({
    createState: (_c, input: OrderInput): OrderState => ({ status: "placed", items: input.items, amount: input.amount, retries: [] }),
    queues: { packed: queue<{ trackingNumber: string }>() },
    run: workflow(
      async (ctx) => {
        // The order's key makes every outside call idempotent.
        const key = ctx.key.join("/");
        const order = await ctx.step("load", () => ({ items: ctx.state.items, amount: ctx.state.amount }));

        await ctx.rollbackCheckpoint("order");
        await ctx.step({
          name: "reserve",
          run: () => services.inventory.reserve(key, order.items),
          rollback: (_c, reservationId) => services.inventory.release(reservationId),
          maxRetries: 0,
        });
        const payment = await ctx.step({
          name: "charge",
          run: async () => {
            if (order.amount <= 0) throw new CriticalError("nothing to charge");
            return services.payments.charge(key, order.amount);
          },
          rollback: (_c, { paymentId }) => services.payments.refund(paymentId),
          maxRetries: 5,
          retryBackoffBase: 1_000,
        });
        await ctx.step("paid", () => {
          ctx.state.status = "paid";
          ctx.state.paymentId = payment.paymentId;
        });

        // The warehouse sends `packed` when the parcel is ready. The actor sleeps meanwhile.
        const packed = await ctx.queue.next("packed", { names: ["packed"], timeout: 3 * 86_400_000 });
        await ctx.step("ship", () => {
          if (!packed) throw new CriticalError("the warehouse did not pack the order within 3 days");
          ctx.state.status = "shipped";
          ctx.state.trackingNumber = packed.body.trackingNumber;
        });
      },
      {
        onError: (c, event) => {
          if ("step" in event && event.step.willRetry) {
            c.state.retries.push({ attempt: event.step.attempt, retryDelay: event.step.retryDelay, message: event.step.error.message });
          }
          // The workflow failed: its rollbacks have run (refund, release).
          if ("workflow" in event) {
            c.state.status = "cancelled";
            c.state.reason = event.workflow.error.message;
          }
        },
      },
    ),
    actions: {
      status: (c) => c.state,
    },
  });
}

export function orderRegistry(services: { payments: PaymentGateway; inventory: Inventory }) {
  return setup({ use: { order: orderActor(services) } });
}
