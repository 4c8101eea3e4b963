// Which storage a registry opens: `setup({ storage })`, else TROUPE_STORAGE_URL (as `--storage`
// sets it), else SQLite; and how one string names a storage.

import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { actor, setup } from "../../src/index.ts";
import { openStorage, parseStorageUrl } from "../../src/runtime/storage-config.ts";
import { PostgresDriver } from "../../src/storage/postgres/driver.ts";
import { SqliteDriver } from "../../src/storage/sqlite/driver.ts";
import { usePostgres } from "../support/postgres.ts";

describe("parseStorageUrl", () => {
  it("reads postgres URLs, sqlite:<path> and plain paths", () => {
    expect(parseStorageUrl("postgres://u:p@h:5432/db?schema=s")).toEqual({ driver: "postgres", url: "postgres://u:p@h:5432/db?schema=s" });
    expect(parseStorageUrl("postgresql://h/db")).toEqual({ driver: "postgres", url: "postgresql://h/db" });
    expect(parseStorageUrl("sqlite:./data/x.db")).toEqual({ driver: "sqlite", path: "./data/x.db" });
    expect(parseStorageUrl("sqlite:/var/lib/x.db")).toEqual({ driver: "sqlite", path: "/var/lib/x.db" });
    expect(parseStorageUrl("data/x.db")).toEqual({ driver: "sqlite", path: "data/x.db" });
  });

  it("refuses other URLs, sqlite:// and empty paths with config.invalid", () => {
    for (const text of ["mysql://h/db", "sqlite://x.db", "sqlite:", ""]) {
      expect(() => parseStorageUrl(text), text).toThrow(expect.objectContaining({ group: "config", code: "invalid" }));
    }
  });
});

describe("openStorage", () => {
  const saved = process.env.TROUPE_STORAGE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.TROUPE_STORAGE_URL;
    else process.env.TROUPE_STORAGE_URL = saved;
  });

  it("takes TROUPE_STORAGE_URL when setup() names no storage, and setup()'s storage otherwise", async () => {
    process.env.TROUPE_STORAGE_URL = "postgres://troupe@127.0.0.1:1/none";
    const fromEnv = openStorage(undefined);
    expect(fromEnv).toBeInstanceOf(PostgresDriver);
    await fromEnv.close();
    expect(openStorage({ driver: "memory" }).kind).toBe("memory");
  });

  it("opens SQLite when nothing names a storage", async () => {
    delete process.env.TROUPE_STORAGE_URL;
    const saved = process.env.TROUPE_STORAGE_PATH;
    const dir = await mkdtemp(join(tmpdir(), "troupe-storage-config-"));
    process.env.TROUPE_STORAGE_PATH = join(dir, "troupe.db");
    try {
      const driver = openStorage(undefined);
      expect(driver).toBeInstanceOf(SqliteDriver);
      await driver.close();
      expect(existsSync(join(dir, "troupe.db"))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.TROUPE_STORAGE_PATH;
      else process.env.TROUPE_STORAGE_PATH = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("localCacheBytes", () => {
  // Nothing listens there: each driver's connection fails in the background, and is closed after the test.
  const opened: PostgresDriver[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((driver) => driver.close()));
  });
  const driverWith = (options: { url?: string; localCacheBytes?: number }) => {
    const driver = new PostgresDriver({ url: "postgres://troupe@127.0.0.1:1/none", ...options });
    opened.push(driver);
    return driver.localCacheBytes;
  };

  it("is the option, else the URL's parameter, else 1 GiB", () => {
    expect(driverWith({})).toBe(1024 ** 3);
    expect(driverWith({ url: "postgres://troupe@127.0.0.1:1/none?schema=s&localCacheBytes=0" })).toBe(0);
    expect(driverWith({ url: "postgres://troupe@127.0.0.1:1/none?localCacheBytes=5", localCacheBytes: 7 })).toBe(7);
  });

  it("refuses anything but a whole number of bytes from 0 with config.invalid", () => {
    for (const options of [
      { localCacheBytes: -1 },
      { localCacheBytes: 1.5 },
      { url: "postgres://h/db?localCacheBytes=1e9" },
      { url: "postgres://h/db?localCacheBytes=" },
    ]) {
      expect(() => driverWith(options), JSON.stringify(options)).toThrow(expect.objectContaining({ group: "config", code: "invalid" }));
    }
  });
});

describe("setup({ storage: { driver: 'postgres' } })", () => {
  const postgres = usePostgres();
  const counter = actor({ state: { count: 0 }, actions: { add: (c, n: number) => (c.state.count += n) } });

  it("keeps actors in PostgreSQL from one registry to the next", async () => {
    const schema = postgres.server.newSchema();
    const storage = { driver: "postgres", url: postgres.server.url, schema } as const;
    const first = setup({ use: { counter }, storage });
    expect(await first.runtime().client.counter.getOrCreate(["a"]).add(2)).toBe(2);
    await first.shutdown();
    const second = setup({ use: { counter }, storage });
    expect(await second.runtime().client.counter.getOrCreate(["a"]).add(3)).toBe(5);
    await second.shutdown();
  });
});
