// The storage driver contract as tests: every driver (memory, SQLite, later PostgreSQL) runs this
// same suite, so their behaviour cannot drift apart. Tests of one driver alone live in its own test file.

import { describe } from "vitest";
import { actorDatabaseTests } from "./conformance/actor-databases.ts";
import { alarmTests } from "./conformance/alarms.ts";
import { copyTests } from "./conformance/copies.ts";
import { destroyTests } from "./conformance/destroy.ts";
import { directoryTests } from "./conformance/directory.ts";
import { epochTests } from "./conformance/epochs.ts";
import { type OpenedDriver, useDriver } from "./conformance/harness.ts";
import { isolationTests } from "./conformance/isolation.ts";
import { kvWriteTests } from "./conformance/kv-writes.ts";
import { listTests } from "./conformance/list.ts";

export type { OpenedDriver };

export interface ConformanceOptions {
  /** Whether the driver keeps actor databases (`actorDatabase`); default true. */
  actorDatabases?: boolean;
}

/** Defines the conformance tests; `open` returns a fresh, empty driver and how to dispose of it. */
export function describeDriverConformance(name: string, open: () => Promise<OpenedDriver>, options: ConformanceOptions = {}): void {
  describe(`storage driver conformance: ${name}`, () => {
    const harness = useDriver(open);
    describe("directory", () => directoryTests(harness));
    describe("epochs", () => epochTests(harness));
    describe("kv writes", () => kvWriteTests(harness));
    describe("list", () => listTests(harness));
    describe("alarms", () => alarmTests(harness));
    describe("destroy", () => destroyTests(harness));
    describe("isolation between actors", () => isolationTests(harness));
    describe("copies bytes in and out", () => copyTests(harness));
    if (options.actorDatabases ?? true) describe("actor databases", () => actorDatabaseTests(harness));
  });
}
