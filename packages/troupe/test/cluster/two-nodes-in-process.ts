// Two nodes of one cluster in the test's process: registries on one fresh PostgreSQL schema, each
// served on a port of its own, and a network client through each. Disposed in reverse order:
// clients first, then the servers.

import { createClient } from "troupe/client";

interface Served extends AsyncDisposable {
  readonly url: string;
}

interface Servable {
  serve(options: { port: number }): Promise<Served>;
}

export interface TwoNodes<R extends Servable> extends AsyncDisposable {
  /** The PostgreSQL schema the nodes share. */
  readonly schema: string;
  readonly a: Served;
  readonly b: Served;
  readonly viaA: ReturnType<typeof createClient<R>>;
  readonly viaB: ReturnType<typeof createClient<R>>;
}

export async function twoNodes<R extends Servable>(
  server: { newSchema(): string; urlFor(schema: string): string },
  node: (url: string) => R,
): Promise<TwoNodes<R>> {
  const schema = server.newSchema();
  const url = server.urlFor(schema);
  const a = await node(url).serve({ port: 0 });
  const b = await node(url).serve({ port: 0 });
  const viaA = createClient<R>(a.url);
  const viaB = createClient<R>(b.url);
  return {
    schema,
    a,
    b,
    viaA,
    viaB,
    async [Symbol.asyncDispose]() {
      await viaA.dispose();
      await viaB.dispose();
      await b[Symbol.asyncDispose]();
      await a[Symbol.asyncDispose]();
    },
  };
}
