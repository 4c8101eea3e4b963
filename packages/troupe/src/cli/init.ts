// `troupe init <dir>`: copies the package's starter/ project into <dir>, named after the folder
// and depending on this version of troupe.

import { cpSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { packageVersion } from "./version.ts";

export const INIT_USAGE = `Usage: troupe init <dir>

Creates a starter project in <dir> (new, or empty): an actor registry, a client, a test with
troupe/test, package.json with dev/start/client/test scripts, tsconfig.json and a README.
`;

/** The starter project, two folders up both from src/cli and from dist/cli. */
const STARTER = fileURLToPath(new URL("../../starter/", import.meta.url));

export function runInit(argv: string[], cwd: string): number {
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
    if (parsed.values.help) {
      console.log(INIT_USAGE);
      return 0;
    }
    positionals = parsed.positionals;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${INIT_USAGE}`);
    return 1;
  }
  if (positionals.length !== 1) {
    console.error(`Expected one folder, got ${positionals.length === 0 ? "none" : positionals.join(" ")}.\n\n${INIT_USAGE}`);
    return 1;
  }
  const dir = resolve(cwd, positionals[0]!);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    console.error(`${dir} already exists and is not empty: pick a new folder.`);
    return 1;
  }
  cpSync(STARTER, dir, { recursive: true });
  // npm leaves .gitignore files out of published packages, so the starter ships it without the dot.
  renameSync(join(dir, "gitignore"), join(dir, ".gitignore"));
  const manifestPath = join(dir, "package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { name: string; dependencies: Record<string, string> };
  manifest.name = packageName(basename(dir));
  manifest.dependencies.troupe = `^${packageVersion()}`;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

  const shown = relative(cwd, dir) || ".";
  console.log(`Created a Troupe app in ${shown}. Next:

  cd ${shown}
  npm install
  npm run dev       # serves src/registry.ts on http://127.0.0.1:6420, reloads on save
  npm run client    # in another terminal
  npm test`);
  return 0;
}

/** A valid npm package name made from a folder name. */
function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|-+$/g, "");
  return name || "troupe-app";
}
