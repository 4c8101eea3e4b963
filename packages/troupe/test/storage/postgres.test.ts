// The PostgreSQL driver: the shared conformance suite, each test in a schema of its own, then what
// only this driver has (a schema shared by several processes, migrations, set-based group commits).

import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import type { CommitBatch } from "../../src/storage/driver.ts";
import { openPostgres, PostgresDriver } from "../../src/storage/postgres/driver.ts";
import { SCHEMA_VERSION } from "../../src/storage/postgres/schema.ts";
import { usePostgres } from "../support/postgres.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";
import { until } from "../support/until.ts";
import { describeDriverConformance } from "./conformance.ts";
import { codeOf, record, s } from "./conformance/harness.ts";

const postgres = usePostgres();

describeDriverConformance("postgres", async () => {
  const { server } = postgres;
  const schema = server.newSchema();
  const driver = await openPostgres({ url: server.url, schema });
  return {
    driver,
    async cleanup() {
      await driver.close();
      await server.dropSchema(schema);
    },
  };
});

describe("PostgresDriver", () => {
  const opened: PostgresDriver[] = [];
  /** The schema of the running test, made by its first `open`. */
  let schema: string | undefined;
  const open = async (url?: string) => {
    schema ??= postgres.server.newSchema();
    const driver = await openPostgres(url ? { url } : { url: postgres.server.url, schema });
    opened.push(driver);
    return driver;
  };
  afterEach(async () => {
    for (const driver of opened.splice(0)) await driver.close();
    if (schema !== undefined) await postgres.server.dropSchema(schema);
    schema = undefined;
  });

  it("shares one schema between drivers: data outlives a driver, and a claim elsewhere fences this one", async () => {
    const first = await open();
    await first.commit([{ actorId: "a", epoch: 1, create: record("a"), puts: [[s("k"), s("v1")]], alarm: 50 }]);
    await first.close();

    const second = await open();
    const third = await open();
    expect(await second.getActorById("a")).toMatchObject({ name: "counter", key: ["a"], epoch: 1 });
    expect(await second.get("a", [s("k")])).toEqual([s("v1")]);
    expect(await second.nextAlarm()).toBe(50);
    expect((await third.commit([{ actorId: "a", epoch: 2, claim: true }])).map(codeOf)).toEqual([undefined]);
    expect((await second.commit([{ actorId: "a", epoch: 1, puts: [[s("k"), s("late")]] }])).map(codeOf)).toEqual(["actor.fenced"]);
    expect(await third.get("a", [s("k")])).toEqual([s("v1")]);
  });

  it("returns plain Uint8Arrays that own their memory, not Buffers of a shared pool", async () => {
    const driver = await open();
    await driver.commit([{ actorId: "a", epoch: 1, create: record("a", ["a"], "counter", s("in")), puts: [[s("k"), s("v")]] }]);
    const values = [...(await driver.get("a", [s("k")])), ...(await driver.list("a")).flat(), (await driver.getActorById("a"))?.input];
    for (const value of values) {
      expect(Object.getPrototypeOf(value)).toBe(Uint8Array.prototype);
      expect(value?.buffer.byteLength).toBe(value?.byteLength);
    }
  });

  it("keeps batch order across actors in one commit: a destroy frees a key that a later create takes", async () => {
    const driver = await open();
    await driver.commit([{ actorId: "a", epoch: 1, create: record("a", ["room"]) }]);
    const results = await driver.commit([
      { actorId: "a", epoch: 1, puts: [[s("k"), s("a")]] },
      { actorId: "a", epoch: 1, destroy: true },
      // b's first batch, but it must run after a's destroy, which is a's second.
      { actorId: "b", epoch: 1, create: record("b", ["room"]), puts: [[s("k"), s("b")]] },
      { actorId: "a", epoch: 1, create: record("a", ["other"]), puts: [[s("k"), s("a again")]] },
      { actorId: "c", epoch: 1, create: record("c", ["room"]) },
    ]);
    expect(results.map(codeOf)).toEqual([undefined, undefined, undefined, undefined, "actor.duplicate_key"]);
    expect((await driver.getActorByKey("counter", ["room"]))?.id).toBe("b");
    expect(await driver.get("b", [s("k")])).toEqual([s("b")]);
    expect(await driver.getActorById("a")).toMatchObject({ key: ["other"] });
    expect(await driver.get("a", [s("k")])).toEqual([s("a again")]);
    expect(await driver.getActorById("c")).toBeUndefined();
  });

  it("commits a large group: every batch's writes and its own verdict", async () => {
    const driver = await open();
    const creates: CommitBatch[] = Array.from({ length: 500 }, (_, i) => ({ actorId: `a${i}`, epoch: 1, create: record(`a${i}`) }));
    expect((await driver.commit(creates)).every((result) => result === undefined)).toBe(true);
    // Every third batch is stale; the others write two keys, delete one and set an alarm.
    const batches: CommitBatch[] = creates.map((_, i) => ({
      actorId: `a${i}`,
      epoch: i % 3 === 0 ? 0 : 1,
      puts: [
        [s("x"), s(`x${i}`)],
        [s("y"), s(`y${i}`)],
      ],
      deletes: [s("y")],
      alarm: 1_000 + i,
    }));
    const results = await driver.commit(batches);
    expect(results.map(codeOf)).toEqual(batches.map((_, i) => (i % 3 === 0 ? "actor.fenced" : undefined)));
    expect(await driver.get("a1", [s("x"), s("y")])).toEqual([s("x1"), s("y1")]);
    expect(await driver.get("a3", [s("x")])).toEqual([undefined]);
    expect((await driver.dueAlarms(10_000, 1_000)).length).toBe(333);
  });

  it("loses no acknowledged write to a claim that races with it", async () => {
    const owner = await open();
    const usurper = await open();
    await owner.commit([{ actorId: "a", epoch: 1, create: record("a") }]);
    const acked: number[] = [];
    const writes = (async () => {
      for (let n = 1; ; n++) {
        const [error] = await owner.commit([{ actorId: "a", epoch: 1, puts: [[s(`k${n}`), s("x")]] }]);
        if (error) return codeOf(error);
        acked.push(n);
      }
    })();
    await until("20 acknowledged writes", () => acked.length >= 20, { timeout: 10_000 });
    expect((await usurper.commit([{ actorId: "a", epoch: 2, claim: true }])).map(codeOf)).toEqual([undefined]);
    // What the new owner reads after its claim holds every write acknowledged to the old one.
    const seen = await usurper.list("a");
    expect(await writes).toBe("actor.fenced");
    expect(seen.length).toBe(acked.length);
  });

  it("migrates once when processes open a new schema at the same time, and refuses a newer schema", async () => {
    await Promise.all(Array.from({ length: 4 }, () => open()));
    const { rows } = await postgres.server.query<{ version: number }>(`SELECT version FROM "${schema}".migrations ORDER BY version`);
    expect(rows.map((row) => row.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));

    await postgres.server.query(`INSERT INTO "${schema}".migrations (version) VALUES ($1)`, [SCHEMA_VERSION + 1]);
    await expect(open()).rejects.toMatchObject({ group: "config", code: "invalid" });
  });

  it("takes the schema from the URL's schema parameter", async () => {
    schema = postgres.server.newSchema();
    const driver = await open(postgres.server.urlFor(schema));
    await driver.commit([{ actorId: "a", epoch: 1, create: record("a") }]);
    const { rows } = await postgres.server.query<{ id: string }>(`SELECT id FROM "${schema}".actors`);
    expect(rows).toEqual([{ id: "a" }]);
  });

  it("fails every call, and openPostgres, when the server cannot be reached; close still resolves", async () => {
    const unreachable = "postgres://troupe@127.0.0.1:1/none";
    await expect(openPostgres({ url: unreachable })).rejects.toThrow(/Could not open PostgreSQL storage at 127\.0\.0\.1:1\/none/);
    const driver = new PostgresDriver({ url: unreachable });
    await expect(driver.getActorById("a")).rejects.toThrow(/ECONNREFUSED/);
    await expect(driver.commit([{ actorId: "a", epoch: 1, claim: true }])).rejects.toThrow(/ECONNREFUSED/);
    await driver.close();
  });

  it("fails a commit it could not send with storage.unavailable, and one whose connection failed after it was sent with storage.outcome_unknown", async () => {
    const server = new URL(postgres.server.url);
    await using proxy = await startTcpProxy(server.hostname, Number(server.port || 5432));
    schema ??= postgres.server.newSchema();
    const through = new URL(postgres.server.urlFor(schema));
    through.host = `127.0.0.1:${proxy.port}`;
    const driver = await open(through.href);
    const write = (value: string) => driver.commit([{ actorId: "a", epoch: 1, puts: [[s("k"), s(value)]] }]);
    await driver.commit([{ actorId: "a", epoch: 1, create: record("a"), puts: [[s("k"), s("v1")]] }]);

    proxy.cut();
    // Until the pool has read the reset of the connection it holds, a commit may still be sent on
    // it (outcome_unknown); then no connection opens, and nothing is sent.
    await until("a commit that could not be sent", async () => {
      const error = await write("v2").catch((failed: unknown) => failed);
      expect(error).toMatchObject({ group: "storage", code: expect.stringMatching(/^(unavailable|outcome_unknown)$/) });
      return (error as { code: string }).code === "unavailable";
    });
    await expect(driver.get("a", [s("k")])).rejects.toMatchObject({ group: "storage", code: "unavailable" });
    proxy.heal();
    expect(await driver.get("a", [s("k")])).toEqual([s("v1")]);
    expect(await write("v3")).toEqual([undefined]);

    // The pool keeps the connection v3 went through: the next commit is sent on it, and held.
    proxy.stall();
    const sent = write("v4");
    proxy.cut();
    await expect(sent).rejects.toMatchObject({ group: "storage", code: "outcome_unknown" });
    proxy.heal();
    expect(await driver.get("a", [s("k")])).toEqual([s("v3")]);

    // A create is a transaction: failing before its COMMIT, it was not applied.
    proxy.stall();
    const creating = driver.commit([{ actorId: "b", epoch: 1, create: record("b") }]);
    proxy.cut();
    await expect(creating).rejects.toMatchObject({ group: "storage", code: "unavailable" });
    proxy.heal();
    expect(await driver.getActorById("b")).toBeUndefined();
  });

  it("finds no actor whose id PostgreSQL could not store", async () => {
    const driver = await open();
    expect(await driver.getActorById("a\0b")).toBeUndefined();
  });
});

describe("loading pg", () => {
  it("is left to PostgreSQL storage: importing troupe does not load it", async () => {
    const index = fileURLToPath(new URL("../../src/index.ts", import.meta.url));
    const script = `
      import { createRequire } from "node:module";
      await import(${JSON.stringify(index)});
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((path) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(path));
      console.log(JSON.stringify(loaded));`;
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
    expect(JSON.parse(stdout)).toEqual([]);
  });
});
