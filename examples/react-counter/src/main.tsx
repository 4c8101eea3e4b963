// The page: the room comes from the address (`?room=kitchen`), so two tabs can share one.

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Counter } from "./counter.tsx";

const room = new URLSearchParams(location.search).get("room") ?? "lobby";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Counter room={room} />
  </StrictMode>,
);
