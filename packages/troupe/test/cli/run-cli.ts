// Runs the CLI from source (under tsx), as bin/troupe.js runs it from dist.

import { main } from "../../src/cli/main.ts";

const code = await main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
