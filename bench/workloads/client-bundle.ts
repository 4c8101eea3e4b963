// client_bundle_bytes: the size of troupe/client as browsers load it without a bundler (the
// package's dist/browser/client.js, minified, its dependencies inside), and gzipped.

import { gzipSync } from "node:zlib";
import { BROWSER_CLIENT_FILE, bundleBrowserClient } from "../../packages/troupe/scripts/browser-bundle.ts";
import type { PartialResult } from "../lib/result.ts";
import { runWorkload } from "../lib/workload.ts";

const bytes = (value: number): PartialResult => ({ value, unit: "bytes", n: 1 });

runWorkload(async () => {
  const code = Buffer.from(await bundleBrowserClient(BROWSER_CLIENT_FILE, false));
  return { client_bundle_bytes: bytes(code.length), "client_bundle_bytes.gzip": bytes(gzipSync(code, { level: 9 }).length) };
});
