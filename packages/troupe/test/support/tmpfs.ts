// A small tmpfs of its own for a test that needs a real full or read-only file system. Mounting
// needs root: tests that use it are skipped otherwise (`canMount`), saying so.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/** Only root may mount a file system (CI and the project's machines run as root). */
export const canMount = process.getuid?.() === 0;

/** Mounts a tmpfs of `size` (e.g. "2m") on a new folder, unmounted when the test ends. */
export function mountTmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), "troupe-tmpfs-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]);
  onTestFinished(() => {
    // Lazy: the storage may still have its files open when the test ends.
    execFileSync("umount", ["-l", dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Remounts the tmpfs at `dir` read-only, or writable again. */
export function remount(dir: string, mode: "ro" | "rw"): void {
  execFileSync("mount", ["-o", `remount,${mode}`, dir]);
}
