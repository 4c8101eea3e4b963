// The page: the room and the username come from the address (`?room=lobby&user=alice`).

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ChatRoom } from "./chat-room.tsx";

const query = new URLSearchParams(location.search);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ChatRoom room={query.get("room") ?? "lobby"} username={query.get("user") ?? "anonymous"} />
  </StrictMode>,
);
