// Starting an instance: creating its actor, or waking it (claim a new epoch, read the state), then
// the features' start, vars and onWake; a start that fails undoes what it did and leaves nothing
// running. The instance (instance.ts) hands over the parts of it that only its start writes.

import { decodeCbor } from "../base/cbor.ts";
import type { ActorContext } from "./context.ts";
import type { FeatureSet } from "./feature-set.ts";
import type { ActorInstance, StartMode } from "./instance.ts";
import { notifyStarted } from "./lifecycle-events.ts";
import type { PendingWrites } from "./pending-writes.ts";
import { type ActorState, structuredCloneIfDefined } from "./state.ts";
import { StoredState } from "./stored-state.ts";

/** What a start writes of its instance beyond its public members. */
export interface StartParts {
  pending: PendingWrites;
  features: FeatureSet;
  state: ActorState;
  setVars(vars: unknown): void;
  /** Creating the actor, before its record is handed to the pending writes. */
  setCreating(creating: boolean): void;
}

export async function startInstance(instance: ActorInstance, mode: StartMode, parts: StartParts): Promise<void> {
  const { pending, features, state } = parts;
  const config = instance.def.config;
  const ctx = instance.context();
  const startedAt = instance.host.observer === undefined ? 0 : performance.now();
  instance.begin();
  try {
    if (mode.kind === "wake") {
      // Claimed before anything of the actor is read: once the claim is committed, an earlier
      // activation (another runtime on the same storage) can no longer commit, so every write it
      // acknowledged is in what is read next. A claim made later could overwrite those writes.
      pending.epoch = mode.record.epoch + 1;
      pending.claim = true;
      await pending.flush();
    } else {
      // The features' start (a database migration) writes with the epoch the creation stores.
      pending.epoch = mode.record.epoch;
      parts.setCreating(true);
    }
    await features.beforeStart(mode.kind);
    if (mode.kind === "create") {
      pending.create = mode.record;
      parts.setCreating(false);
      await state.init(ctx, mode.input);
      await config.onCreate?.(ctx, mode.input);
    } else {
      const { bytes: stored, stored: layout } = await StoredState.read((keys) => instance.host.driver.get(instance.id, keys));
      if (layout.chunked) pending.layout = layout;
      if (stored !== undefined) state.load(stored);
      else if (instance.def.hasState) {
        // A definition that gained state after the actor was created: initialize it now.
        await state.init(ctx, mode.record.input ? decodeCbor(mode.record.input) : undefined);
      }
    }
    parts.setVars(
      config.createVars
        ? await config.createVars(ctx as ActorContext<unknown, unknown, unknown, undefined>)
        : structuredCloneIfDefined(config.vars),
    );
    await config.onWake?.(ctx);
    // A commit of a write the hooks did not wait for failed: the instance must not run on it.
    if (pending.failure) throw pending.failure;
    instance.status = "running";
    features.afterStart();
    instance.refreshAlarm();
    notifyStarted(instance, mode, startedAt, undefined);
  } catch (error) {
    // A creation that failed leaves nothing behind: its record may already be committed (a hook
    // awaited a write), so it is destroyed; if it was not, create and destroy cancel out. When
    // the creation failed because its own commit did, there is nothing to undo.
    if (mode.kind === "create") {
      pending.destroy = true;
      await pending.flush().catch((cleanup: unknown) => {
        if (cleanup !== error) instance.log.error({ err: cleanup }, "could not undo a failed creation");
      });
    }
    instance.status = "stopped";
    pending.abandon(error);
    await features.release(mode.kind === "create" ? "destroy" : "sleep", instance);
    notifyStarted(instance, mode, startedAt, error);
    throw instance.publicError(error, `actor failed to ${mode.kind === "create" ? "be created" : "wake"}`);
  } finally {
    instance.end();
  }
}
