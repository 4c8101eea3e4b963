// Starts one workload run in a fresh `node` process and reads back the JSON line it prints.

import { spawn } from "node:child_process";
import { nodeFlags, ROOT } from "./build.ts";
import type { Results } from "./result.ts";

/** `tsconfig` is the one tsx reads in the child: it decides which build of Troupe is measured. */
export function spawnWorkload(file: string, nodeArgs: string[], params: Record<string, string>, tsconfig: string): Promise<Results> {
  const args = [...nodeArgs, ...nodeFlags(), `bench/workloads/${file}`, ...Object.entries(params).map(([k, v]) => `--${k}=${v}`)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code !== 0) {
        reject(new Error(`${file} exited with ${signal ?? `code ${code}`}`));
        return;
      }
      try {
        const line = stdout.trim().split("\n").at(-1) ?? "";
        resolve((JSON.parse(line) as { results: Results }).results);
      } catch {
        reject(new Error(`${file} printed no JSON result line; its output was:\n${stdout}`));
      }
    });
  });
}
