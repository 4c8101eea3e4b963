// The browser for tests: Debian's Chromium when it is installed, otherwise the one shipped inside
// the @sparticuz/chromium package, so `npm test` needs nothing installed by hand.

import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

export async function launchChromium(): Promise<Browser> {
  if (existsSync(SYSTEM_CHROMIUM)) return chromium.launch({ executablePath: SYSTEM_CHROMIUM, args: FLAGS });
  const { default: packaged } = await import("@sparticuz/chromium");
  // Only our own flags: the package's defaults include --single-process, which hangs a second
  // page, and --disable-web-security, which would hide the CORS behaviour the tests check.
  return chromium.launch({ executablePath: await packaged.executablePath(), args: FLAGS });
}
