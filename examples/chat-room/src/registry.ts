// A chat room per key, written as a RivetKit app: only the imports name troupe. Each connection
// carries its username; messages are kept in the room's state and broadcast to every member.

import { actor, setup, UserError } from "troupe";

export interface Message {
  sender: string;
  text: string;
  timestamp: number;
}

export const chatRoom = actor({
  state: { messages: [] as Message[] },
  createConnState: (_c, params: { username?: string } | undefined) => ({ username: params?.username ?? "anonymous" }),
  onConnect: (c, conn) => {
    c.broadcast("joined", conn.state.username);
  },
  onDisconnect: (c, conn) => {
    c.broadcast("left", conn.state.username);
  },
  actions: {
    sendMessage: (c, text: string) => {
      if (text.trim() === "") throw new UserError("A message needs some text.", { code: "empty_message" });
      const message: Message = { sender: c.conn.state.username, text, timestamp: Date.now() };
      c.state.messages.push(message);
      c.broadcast("newMessage", message);
      return message;
    },
    getHistory: (c) => c.state.messages,
  },
});

export const registry = setup({ use: { chatRoom } });
