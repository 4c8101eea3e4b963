// Places an order whose first two payment attempts fail, then plays the warehouse.
// `npm start` (in examples/order-workflow). Data goes to .troupe/ in the current folder.

import { createClient } from "troupe";
import { orderRegistry } from "./order.ts";
import { Inventory, PaymentGateway } from "./services.ts";

const payments = new PaymentGateway({ failures: 2 });
const registry = orderRegistry({ payments, inventory: new Inventory() });
const client = createClient(registry);

const order = client.order.getOrCreate([`order-${Date.now()}`], { createWithInput: { items: ["book", "lamp"], amount: 4200 } });
const waitFor = async (status: string) => {
  for (;;) {
    const state = await order.status();
    if (state.status === status) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

console.log("placed; the payment gateway fails twice, the workflow retries after 1 s and 2 s ...");
const paid = await waitFor("paid");
console.log(`paid (${paid.paymentId}) after ${paid.retries.length} retries: ${paid.retries.map((r) => r.message).join("; ")}`);
await order.send("packed", { trackingNumber: "TRK-123" });
const shipped = await waitFor("shipped");
console.log(`shipped: ${shipped.trackingNumber}; the gateway was called ${payments.calls} times and charged once`);
await registry.shutdown();
