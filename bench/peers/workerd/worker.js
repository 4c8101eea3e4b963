// The workerd peer: a Durable Object per counter key with SQLite-backed storage, reached over
// HTTP. POST /counter/<key>/increment adds 1 and answers {"count": n} once the write is durable
// (Durable Objects hold the response until storage confirms it: their output gate).

export class Counter {
  constructor(ctx) {
    this.ctx = ctx;
  }

  async fetch() {
    const count = (this.ctx.storage.kv.get("count") ?? 0) + 1;
    this.ctx.storage.kv.put("count", count);
    return Response.json({ count });
  }
}

export default {
  async fetch(request, env) {
    const match = /^\/counter\/([^/]+)\/increment$/.exec(new URL(request.url).pathname);
    if (request.method !== "POST" || !match) return new Response("not found", { status: 404 });
    const stub = env.COUNTER.get(env.COUNTER.idFromName(decodeURIComponent(match[1])));
    return stub.fetch(request);
  },
};
