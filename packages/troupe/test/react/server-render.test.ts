// useActor during server rendering (renderToString, as Next.js or Remix would): it renders its
// waiting state and opens nothing, since effects and subscriptions run only in the browser.

import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createTroupeContext } from "troupe/react";
import { expect, test, vi } from "vitest";
import type { TestRegistry } from "./fixtures.ts";

const fetch = vi.fn<typeof globalThis.fetch>();
const WebSocket = vi.fn();
const { useActor } = createTroupeContext<TestRegistry>({
  endpoint: "http://127.0.0.1:9",
  fetch,
  WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
});

function Room({ enabled }: { enabled: boolean }) {
  const room = useActor({ name: "room", key: ["ssr"], params: { user: "ada" }, enabled });
  room.useEvent("posted", () => {});
  return createElement("p", null, `${room.connStatus} ${room.connection === null} ${room.error === null}`);
}

test("a server render shows the status before connecting and touches no network", () => {
  expect(renderToString(createElement(Room, { enabled: true }))).toBe("<p>connecting true true</p>");
  expect(renderToString(createElement(Room, { enabled: false }))).toBe("<p>idle true true</p>");
  expect(fetch).not.toHaveBeenCalled();
  expect(WebSocket).not.toHaveBeenCalled();
});
