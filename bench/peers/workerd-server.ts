// Starts workerd (the npm package's binary, `node_modules/.bin/workerd`) serving peers/workerd/
// on a free loopback port, with Durable Object storage in a temporary folder. Undefined, with the
// reason, when the binary is not installed or does not run here.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { ROOT } from "../lib/build.ts";
import { type TempDir, tempDir } from "../lib/temp-dir.ts";

export interface PeerServer extends AsyncDisposable {
  readonly url: string;
}

const BINARY = join(ROOT, "node_modules", ".bin", "workerd");

/** Why workerd cannot run here, or undefined when it can. */
export function workerdMissing(): string | undefined {
  if (!existsSync(BINARY)) return "workerd is not installed (npm install -D workerd)";
  const version = spawnSync(BINARY, ["--version"], { encoding: "utf8", timeout: 10_000 });
  if (version.status !== 0) return `workerd does not run here: ${version.stderr || version.error?.message || "no output"}`;
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function untilUp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error("workerd did not start listening within 10 s");
}

export async function startWorkerd(): Promise<PeerServer> {
  const dir: TempDir = tempDir();
  const port = await freePort();
  const config = join(ROOT, "bench", "peers", "workerd", "config.capnp");
  const child = spawn(BINARY, ["serve", config, "--socket-addr", `http=127.0.0.1:${port}`, "--directory-path", `storage=${dir.path}`], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await untilUp(url, child);
  return {
    url,
    async [Symbol.asyncDispose]() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      dir[Symbol.dispose]();
    },
  };
}
