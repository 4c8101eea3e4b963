// Stand-ins for the outside systems an order touches. Each takes an idempotency key, as real
// payment and inventory APIs do, because a workflow step may run more than once.

/** A payment gateway that declines the first `failures` calls (a flaky network, a busy provider). */
export class PaymentGateway {
  readonly charges = new Map<string, { amount: number; refunded: boolean }>();
  calls = 0;
  #failures: number;

  constructor(options: { failures?: number } = {}) {
    this.#failures = options.failures ?? 0;
  }

  async charge(key: string, amount: number): Promise<{ paymentId: string }> {
    this.calls++;
    if (this.#failures > 0) {
      this.#failures--;
      throw new Error("payment gateway unavailable");
    }
    if (!this.charges.has(key)) this.charges.set(key, { amount, refunded: false });
    return { paymentId: `pay_${key}` };
  }

  async refund(paymentId: string): Promise<void> {
    const charge = this.charges.get(paymentId.replace(/^pay_/, ""));
    if (charge) charge.refunded = true;
  }
}

export class Inventory {
  readonly reserved = new Map<string, string[]>();
  readonly outOfStock = new Set<string>();

  async reserve(key: string, items: string[]): Promise<string> {
    const missing = items.filter((item) => this.outOfStock.has(item));
    if (missing.length > 0) throw new Error(`out of stock: ${missing.join(", ")}`);
    this.reserved.set(key, items);
    return `res_${key}`;
  }

  async release(reservationId: string): Promise<void> {
    this.reserved.delete(reservationId.replace(/^res_/, ""));
  }
}
