// Renders docs/errors.md from the error code table. `npm run docs:errors` writes it;
// a test fails when the committed file is out of date.

import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ERROR_CODES } from "../packages/troupe/src/runtime/error-codes.ts";

export const ERRORS_DOC = fileURLToPath(new URL("../docs/errors.md", import.meta.url));

export function renderErrorsDoc(): string {
  const rows = Object.entries(ERROR_CODES)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, info]) => [`\`${code}\``, String(info.status), info.description]);
  return `# Errors

Every error a caller sees is an \`ActorError\` with a stable \`group\` and \`code\`, a \`message\` and
optional \`metadata\`. Over HTTP the status below is used. \`UserError\` thrown by actor code reaches the
caller with its own code (group \`user\`, status 400). Any other thrown value reaches the caller as
\`actor.internal_error\` with the message "An internal error occurred"; the full error is logged on the
server.

This file is generated from the error code tables (the core's in \`packages/troupe/src/base/error-codes.ts\`, each feature's in its \`errors.ts\`) by \`npm run docs:errors\`.

${table(["code", "HTTP status", "meaning"], rows)}
`;
}

/** A Markdown table with its columns padded, as the formatter (biome) lays it out. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] as number)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(ERRORS_DOC, renderErrorsDoc());
  console.log(`wrote ${ERRORS_DOC}`);
}
