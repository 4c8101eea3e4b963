// The dashboard's shell: the token (from the URL fragment, else asked for), the registry, the
// actor list and the open actor, whose id and tab live in the address (#/actors/<id>/<tab>).

import { useEffect, useState } from "preact/hooks";
import { type ApiError, api, whenUnauthorized } from "./api.ts";
import { ActorList } from "./actor-list.tsx";
import { ActorView, TABS, type Tab } from "./actor-view.tsx";
import { currentToken, forgetToken, saveToken } from "./token.ts";
import type { ActorDefinition } from "./types.ts";
import { ErrorBanner } from "./ui.tsx";

interface Route {
  id: string | null;
  tab: Tab;
}

function readRoute(): Route {
  const [, id, tab] = /^#\/actors\/([^/]+)(?:\/([a-z]+))?/.exec(location.hash) ?? [];
  return { id: id === undefined ? null : decodeURIComponent(id), tab: TABS.includes(tab as Tab) ? (tab as Tab) : "overview" };
}

function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const changed = () => setRoute(readRoute());
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return [route, (next) => (location.hash = next.id === null ? "#/" : `#/actors/${encodeURIComponent(next.id)}/${next.tab}`)];
}

function TokenForm({ refused, done }: { refused: boolean; done: () => void }) {
  const [token, setToken] = useState("");
  return (
    <form
      class="token-form"
      onSubmit={(e) => {
        e.preventDefault();
        saveToken(token.trim());
        done();
      }}
    >
      <h1>Troupe inspector</h1>
      <p>
        {refused ? "The server refused that token. " : ""}Open the link <code>troupe dev</code> printed (it carries the token), or paste the
        token (<code>TROUPE_INSPECTOR_TOKEN</code>):
      </p>
      <input type="password" aria-label="token" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
      <button type="submit" class="primary">
        Open
      </button>
    </form>
  );
}

export function App() {
  const [hasToken, setHasToken] = useState(currentToken() !== null);
  const [refused, setRefused] = useState(false);
  const [definitions, setDefinitions] = useState<ActorDefinition[] | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [route, go] = useRoute();

  useEffect(() => {
    whenUnauthorized(() => {
      forgetToken();
      setRefused(true);
      setHasToken(false);
    });
  }, []);
  useEffect(() => {
    if (!hasToken) return;
    api<{ actors: ActorDefinition[] }>("GET", "/registry").then(
      (registry) => setDefinitions(registry.actors),
      (reason: ApiError) => setError(reason),
    );
  }, [hasToken]);

  if (!hasToken) return <TokenForm refused={refused} done={() => setHasToken(true)} />;
  return (
    <div class="app">
      <header class="top">
        <h1>Troupe inspector</h1>
        <span class="muted">{definitions ? `${definitions.length} actor definitions` : ""}</span>
        <button
          type="button"
          class="link"
          onClick={() => {
            forgetToken();
            setHasToken(false);
          }}
        >
          Forget token
        </button>
      </header>
      <ErrorBanner error={error} />
      {definitions && (
        <div class="body">
          <ActorList definitions={definitions} selected={route.id} open={(id) => go({ id, tab: route.tab })} />
          <main>
            {route.id === null ? (
              <p class="empty">Pick an actor on the left.</p>
            ) : (
              <ActorView id={route.id} tab={route.tab} definitions={definitions} go={(tab) => go({ id: route.id, tab })} />
            )}
          </main>
        </div>
      )}
    </div>
  );
}
