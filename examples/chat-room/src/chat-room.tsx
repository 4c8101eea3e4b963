// One room: the messages (the history, then live from `newMessage`), who came and went, and a form
// that calls `sendMessage` over the connection, which carries the username as its params.

import { type FormEvent, useEffect, useState } from "react";
import type { Message } from "./registry.ts";
import { useActor } from "./troupe.ts";

export function ChatRoom({ room, username }: { room: string; username: string }) {
  const chat = useActor({ name: "chatRoom", key: [room], params: { username } });
  const { connection, isConnected } = chat;
  const [messages, setMessages] = useState<Message[]>([]);
  const [notices, setNotices] = useState<string[]>([]);
  const [draft, setDraft] = useState("");
  const [failure, setFailure] = useState<string>();

  chat.useEvent("newMessage", (message) => setMessages((all) => [...all, message as Message]));
  chat.useEvent("joined", (name) => setNotices((all) => [...all, `${String(name)} joined`]));
  chat.useEvent("left", (name) => setNotices((all) => [...all, `${String(name)} left`]));

  // On every (re)connection: messages sent while disconnected were missed, so read the history.
  useEffect(() => {
    if (connection && isConnected) void connection.getHistory().then(setMessages);
  }, [connection, isConnected]);

  const send = (event: FormEvent) => {
    event.preventDefault();
    connection?.sendMessage(draft).then(
      () => {
        setDraft("");
        setFailure(undefined);
      },
      (error: Error) => setFailure(error.message),
    );
  };

  return (
    <section>
      <h1>
        Room {room}, as {username}
      </h1>
      <p>
        Status: <span data-testid="status">{chat.connStatus}</span>
      </p>
      <ul data-testid="messages">
        {messages.map((message) => (
          <li key={`${message.timestamp}-${message.sender}-${message.text}`}>
            <b>{message.sender}</b>: {message.text}
          </li>
        ))}
      </ul>
      <ul data-testid="notices">
        {notices.map((notice, i) => (
          // Notices only grow, so an index keeps naming the same one.
          <li key={i}>{notice}</li>
        ))}
      </ul>
      <form onSubmit={send}>
        <input aria-label="Message" value={draft} onChange={(event) => setDraft(event.target.value)} />
        <button type="submit" disabled={!isConnected}>
          Send
        </button>
      </form>
      {(failure ?? chat.error?.message) && <p role="alert">{failure ?? chat.error?.message}</p>}
    </section>
  );
}
