// One room's counter: its connection status, its count (live, from the `changed` event) and a button.

import { useEffect, useState } from "react";
import { useActor } from "./troupe.ts";

export function Counter({ room }: { room: string }) {
  const counter = useActor({ name: "counter", key: [room] });
  const { connection, isConnected } = counter;
  const [count, setCount] = useState<number>();

  counter.useEvent("changed", (count) => setCount(count)); // count: number, as declared by event<number>()

  // On every (re)connection: events sent while disconnected were missed, so read the count.
  useEffect(() => {
    if (connection && isConnected) void connection.get().then(setCount);
  }, [connection, isConnected]);

  return (
    <section>
      <h1>Room {room}</h1>
      <p>
        Status: <span data-testid="status">{counter.connStatus}</span>
      </p>
      <p>
        Count: <output data-testid="count">{count ?? "…"}</output>
      </p>
      <button type="button" disabled={!isConnected} onClick={() => void connection?.increment(1)}>
        +1
      </button>
      {counter.error && <p role="alert">{counter.error.message}</p>}
    </section>
  );
}
