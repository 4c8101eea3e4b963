// The agent actor: user messages arrive on its durable queue; its run loop answers them one at a
// time, streaming each token to every connected client as a "token" event.

import { actor, queue, setup } from "troupe";
import { type ChatMessage, FakeModel } from "./fake-model.ts";

export interface StoredMessage extends ChatMessage {
  /** The queue message a user message came from, so that a redelivery is not recorded twice. */
  queueId?: number;
}

/** The agent actor, answering with `model`. */
export function agentActor(model: FakeModel) {
  return actor({
    state: { messages: [] as StoredMessage[] },
    queues: { default: queue<{ text: string }, { text: string }>() },
    run: async (c) => {
      // Completable: a message whose answer was cut short by a crash is answered again on restart.
      for await (const msg of c.queue.iter({ completable: true })) {
        if (c.state.messages.at(-1)?.queueId !== msg.id) c.state.messages.push({ role: "user", content: msg.body.text, queueId: msg.id });
        let fullText = "";
        for await (const delta of model.stream(c.state.messages)) {
          fullText += delta;
          c.broadcast("token", delta);
        }
        c.state.messages.push({ role: "assistant", content: fullText });
        c.broadcast("done", fullText);
        await msg.complete({ text: fullText });
      }
    },
    actions: {
      history: (c) => c.state.messages.map(({ role, content }) => ({ role, content })),
    },
  });
}

export const agent = agentActor(new FakeModel());
export const registry = setup({ use: { agent } });
