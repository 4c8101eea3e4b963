// The CLI's sharp edges: a failed reload keeps the last good registry serving, a failed first load
// waits for a fix, a taken port says which and what to do, and --version.

import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "troupe/client";
import { expect, test } from "vitest";
import { tempDir } from "../support/temp-dir.ts";
import { CliProcess } from "./cli-process.ts";
import type { registry } from "./ledger-registry.ts";

const LEDGER = fileURLToPath(new URL("./ledger-registry.ts", import.meta.url));
const MANIFEST = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

/** The ledger registry as a file of its own in `dir`, importing troupe's source by absolute path. */
function ledgerSource(): string {
  return readFileSync(LEDGER, "utf8").replace(
    '"../../src/index.ts"',
    JSON.stringify(fileURLToPath(new URL("../../src/index.ts", import.meta.url))),
  );
}

test("--version prints the package's version", async () => {
  for (const flag of ["--version", "-v"]) {
    await using cli = new CliProcess([flag], tempDir("troupe-cli-"));
    expect(await cli.exited).toBe(0);
    expect(cli.output.filter(Boolean)).toEqual([MANIFEST.version]);
  }
});

test("a taken port fails with which port and what to do", async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    for (const command of ["start", "dev"]) {
      await using cli = new CliProcess([command, LEDGER, "--port", String(port)], tempDir("troupe-cli-"));
      expect(await cli.exited, `exit code of troupe ${command}`).toBe(1);
      const output = cli.output.join("\n");
      expect(output).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(output).toContain("--port 0 for any free port");
    }
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test("dev keeps serving the last good registry when a reload fails, says why, and recovers when fixed", async () => {
  const dir = tempDir("troupe-cli-");
  const file = join(dir, "registry.ts");
  const source = ledgerSource();
  writeFileSync(file, source);
  await using dev = new CliProcess(["dev", "registry.ts", "--port", "0"], dir);
  const url = await dev.url();
  await dev.waitFor(/Watching for changes/);
  const client = createClient<typeof registry>(url);
  const handle = client.ledger.getOrCreate(["dev"]);
  await handle.add(1);

  let mark = dev.output.length;
  writeFileSync(file, source.replace('version: () => "v1",', 'version: () => "v2" +,'));
  await dev.waitFor(/Reload failed; still serving the last good registry/, mark);
  await dev.waitFor(/registry\.ts:\d+:\d+/, mark);
  expect(await handle.version(), "the old registry still answers").toBe("v1");
  expect(await handle.entries()).toEqual([1]);

  mark = dev.output.length;
  writeFileSync(file, source.replace('version: () => "v1"', 'version: () => "v3"'));
  expect(await dev.url(mark)).toBe(url);
  expect(await handle.version()).toBe("v3");
  expect(await handle.entries()).toEqual([1]);

  // An error thrown while the module runs is reported the same way.
  mark = dev.output.length;
  writeFileSync(file, `${source}\nthrow new Error("broken on purpose");\n`);
  await dev.waitFor(/Reload failed; still serving the last good registry/, mark);
  await dev.waitFor(/broken on purpose/, mark);
  expect(await handle.version()).toBe("v3");
  await client.dispose();
  dev.child.kill("SIGTERM");
  expect(await dev.exited).toBe(0);
});

test("dev waits for a fix when the first load fails, then serves", async () => {
  const dir = tempDir("troupe-cli-");
  const file = join(dir, "registry.ts");
  writeFileSync(file, 'export const registry = "not yet";\n');
  await using dev = new CliProcess(["dev", "registry.ts", "--port", "0"], dir);
  await dev.waitFor(/Could not load registry\.ts; waiting for a fix/);
  await dev.waitFor(/must export the registry made with setup\(\)/);
  expect(dev.child.exitCode, "still running").toBeNull();

  const mark = dev.output.length;
  writeFileSync(file, ledgerSource());
  const client = createClient<typeof registry>(await dev.url(mark));
  expect(await client.ledger.getOrCreate(["x"]).version()).toBe("v1");
  await client.dispose();
  dev.child.kill("SIGINT");
  expect(await dev.exited).toBe(0);
});
