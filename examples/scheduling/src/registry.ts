// Reminders, written as a RivetKit app: only the imports name troupe. `c.schedule.after` runs an
// action later, durably (it survives sleep and restarts); the actor may sleep until then.

import { actor, setup } from "troupe";

export interface Reminder {
  id: string;
  text: string;
  dueAt: number;
  firedAt?: number;
}

export const reminders = actor({
  state: { reminders: [] as Reminder[] },
  actions: {
    remindIn: async (c, text: string, ms: number) => {
      const id = await c.schedule.after(ms, "fire", text);
      c.state.reminders.push({ id, text, dueAt: Date.now() + ms });
      return id;
    },
    cancel: async (c, id: string) => {
      const cancelled = await c.schedule.cancel(id);
      if (cancelled) c.state.reminders = c.state.reminders.filter((r) => r.id !== id);
      return cancelled;
    },
    // Called by the schedule.
    fire: (c, text: string) => {
      const reminder = c.state.reminders.find((r) => r.text === text && r.firedAt === undefined);
      if (reminder) reminder.firedAt = Date.now();
      c.broadcast("reminder", text);
    },
    list: (c) => c.state.reminders,
    nap: (c) => c.sleep(),
  },
});

export const registry = setup({ use: { reminders } });
