// Progress goes to stderr so that `--json` keeps stdout to the one JSON object.

export function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
