// The actor context a step's code receives: `c.*` as in an action, valid only while the attempt
// runs. A context kept past its step throws, since state changes made outside steps would not be
// replayed in order with the history.

import type { ActorContext } from "../../actor/context.ts";
import { workflowErrors } from "./engine/errors.ts";
import type { StepAttempt } from "./engine/host.ts";
import type { StepContext } from "./types.ts";

export function stepContext<S, V>(actor: ActorContext, step: StepAttempt): StepContext<S, V> {
  const own: Record<PropertyKey, () => unknown> = {
    abortSignal: () => step.signal,
    aborted: () => step.signal.aborted,
    attempt: () => step.attempt,
    stepName: () => step.name,
  };
  return new Proxy(actor, {
    get(target, prop) {
      if (!step.active()) throw workflowErrors.outsideStep(String(prop));
      const read = own[prop];
      if (read) return read();
      const value: unknown = Reflect.get(target, prop, target);
      // Methods of the context use private fields: call them on the context itself.
      return typeof value === "function" ? value.bind(target) : value;
    },
    set(target, prop, value) {
      if (!step.active()) throw workflowErrors.outsideStep(String(prop));
      return Reflect.set(target, prop, value, target);
    },
  }) as unknown as StepContext<S, V>;
}
