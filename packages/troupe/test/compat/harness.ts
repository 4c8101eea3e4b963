// The compatibility suite runs each check on three targets: the network client in each encoding
// (JSON and CBOR) against a real server on a free port, and the in-process client.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AnyActorDefinition,
  createClient as createLocalClient,
  type Registry,
  type RegistryConfig,
  type StandardSchemaV1,
  setup,
} from "troupe";
import { createClient, type Client } from "troupe/client";

export type Target = "json" | "cbor" | "in-process";
export const TARGETS: readonly Target[] = ["json", "cbor", "in-process"];
export const NETWORK_TARGETS: readonly Target[] = ["json", "cbor"];

export interface Opened<A extends Record<string, AnyActorDefinition>> {
  readonly registry: Registry<A>;
  readonly client: Client<Registry<A>>;
  /** The server's URL (network targets only). */
  readonly url: string | undefined;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A registry of `use` on SQLite in a temporary folder, and a client for it on `target`. */
export async function open<A extends Record<string, AnyActorDefinition>>(
  target: Target,
  use: A,
  extra: Partial<RegistryConfig<A>> = {},
): Promise<Opened<A>> {
  const dir = mkdtempSync(join(tmpdir(), "troupe-compat-"));
  const registry = setup({
    use,
    storage: { driver: "sqlite", path: join(dir, "troupe.db") },
    logging: { level: process.env.TROUPE_LOG_LEVEL ?? "silent" },
    ...extra,
  });
  const server = target === "in-process" ? undefined : await registry.serve({ port: 0 });
  const client =
    server === undefined
      ? createLocalClient(registry)
      : createClient<Registry<A>>(server.url, { encoding: target as "json" | "cbor", reconnect: { initialDelay: 20, maxDelay: 200 } });
  return {
    registry,
    client,
    url: server?.url,
    async [Symbol.asyncDispose]() {
      await client.dispose();
      if (server) await server.close();
      else await registry.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Standard Schema (the interface Zod, Valibot and ArkType implement) from a check returning issues. */
export function schema<T>(check: (value: unknown) => string | undefined): StandardSchemaV1<T> {
  return {
    "~standard": {
      version: 1,
      vendor: "test",
      validate: (value: unknown) => {
        const wrong = check(value);
        return wrong === undefined ? { value: value as T } : { issues: [{ message: wrong }] };
      },
    },
  };
}
