import { MemoryDriver } from "../../src/storage/memory/driver.ts";
import { describeDriverConformance } from "./conformance.ts";

describeDriverConformance("memory", async () => ({ driver: new MemoryDriver(), cleanup: async () => {} }));
