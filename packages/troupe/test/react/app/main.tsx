// The troupe/react test page: components of one room (key from `?room=`) under StrictMode, each
// showing what useActor returns, with buttons the test clicks.

import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { isActorError } from "troupe/client";
import { createRivetKit, createTroupeContext } from "troupe/react";
import type { TestRegistry } from "../fixtures.ts";

const endpoint = import.meta.env.VITE_TROUPE_ENDPOINT!;
const { useActor } = createTroupeContext<TestRegistry>(endpoint);
// The RivetKit name makes the same hooks: a second context, with a connection cache of its own.
const rivet = createRivetKit<TestRegistry>({ endpoint, encoding: "json" });
const room = new URLSearchParams(location.search).get("room") ?? "lobby";

/** A member of the room: status, connection id, the posts it received, a button to post. */
function Member({ id }: { id: string }) {
  const chat = useActor({ name: "room", key: [room], params: { user: "ada" } });
  const [posts, setPosts] = useState<string[]>([]);
  chat.useEvent("posted", (text) => setPosts((seen) => [...seen, text]));
  return (
    <section data-testid={id}>
      <Shown name="status" value={chat.connStatus} />
      <Shown name="conn" value={chat.connection?.connId ?? ""} />
      <Shown name="error" value={codeOf(chat.error)} />
      <Shown name="posts" value={posts.join(",")} />
      <button type="button" onClick={() => void chat.connection?.post(`from ${id}`)}>
        post
      </button>
    </section>
  );
}

/** A connection that can be turned off with `enabled`. */
function Toggled() {
  const [enabled, setEnabled] = useState(true);
  const actor = useActor({ name: "room", key: [room, "toggled"], params: { user: "toggler" }, enabled });
  return (
    <section data-testid="toggled">
      <Shown name="status" value={actor.connStatus} />
      <Shown name="handle" value={actor.handle ? "yes" : "no"} />
      <button type="button" onClick={() => setEnabled(!enabled)}>
        toggle
      </button>
    </section>
  );
}

/** Connections that fail: a missing actor with noCreate, refused params. */
function Failing() {
  const missing = useActor({ name: "room", key: [room, "nobody"], noCreate: true });
  const refused = useActor({ name: "room", key: [room], params: { user: "mallory" } });
  return (
    <section data-testid="failing">
      <Shown name="missing" value={`${missing.connStatus} ${codeOf(missing.error)}`} />
      <Shown name="refused" value={`${refused.connStatus} ${codeOf(refused.error)}`} />
    </section>
  );
}

/** Through the RivetKit-named factory, over JSON. */
function Ported() {
  const actor = rivet.useActor({ name: "room", key: [room, "ported"], params: { user: "porter" } });
  return (
    <section data-testid="ported">
      <Shown name="status" value={actor.connStatus} />
    </section>
  );
}

function Shown({ name, value }: { name: string; value: string }) {
  return <span data-testid={name}>{value}</span>;
}

function codeOf(error: Error | null): string {
  if (!error) return "";
  return isActorError(error) ? `${error.group}.${error.code}` : error.message;
}

function App() {
  const [members, setMembers] = useState(true);
  return (
    <>
      {members && (
        <>
          <Member id="a" />
          <Member id="b" />
        </>
      )}
      <button type="button" onClick={() => setMembers(!members)}>
        members
      </button>
      <Toggled />
      <Failing />
      <Ported />
    </>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
