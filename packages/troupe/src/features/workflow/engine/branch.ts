// A thread of workflow code (the main body, or one branch of a join or race) and its
// cancellation. Once a branch is cancelled (the actor stops, or it lost a race) its pending
// workflow calls never settle, so user code cannot go on running by catching an error, and the
// branch's abandoned promises are collected with it.

const NEVER: Promise<never> = new Promise(() => {});

export class Branch {
  readonly #controller = new AbortController();
  readonly #children = new Set<Branch>();
  readonly #parent: Branch | undefined;

  constructor(parent?: Branch) {
    this.#parent = parent;
    if (parent === undefined) return;
    if (parent.cancelled) this.#controller.abort(parent.signal.reason);
    else parent.#children.add(this);
  }

  /** The branch's code has ended: its parent no longer needs to cancel it. */
  end(): void {
    if (this.#parent !== undefined) this.#parent.#children.delete(this);
  }

  /** Aborts when the branch is cancelled; handed to steps and queue waits. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get cancelled(): boolean {
    return this.#controller.signal.aborted;
  }

  cancel(reason: unknown): void {
    if (this.cancelled) return;
    this.#controller.abort(reason);
    for (const child of this.#children) child.cancel(reason);
    this.#children.clear();
  }

  /** Settles like `promise`, unless the branch is cancelled by then: then never. */
  deliver<T>(promise: Promise<T>): Promise<T> {
    if (this.cancelled) {
      promise.catch(() => undefined);
      return NEVER;
    }
    return new Promise<T>((resolve, reject) => {
      promise.then(
        (value) => {
          if (!this.cancelled) resolve(value);
        },
        (error: unknown) => {
          if (!this.cancelled) reject(error);
        },
      );
    });
  }
}

/** A promise that never settles: what a cancelled branch's workflow calls return. */
export function never<T>(): Promise<T> {
  return NEVER;
}
