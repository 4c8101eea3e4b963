// A strict reader of the Prometheus text exposition format (version 0.0.4), for the metrics tests:
// every line must be a comment, a HELP/TYPE line or a well-formed sample, or it throws.

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly samples: readonly Sample[];
  /** The TYPE of each metric family. */
  readonly types: ReadonlyMap<string, string>;
  /** The value of the sample `name` whose labels include `labels`, summed over the matches; 0 when none matches. */
  value(name: string, labels?: Record<string, string>): number;
  /** Whether some sample `name` has labels including `labels`. */
  has(name: string, labels?: Record<string, string>): boolean;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,)?/;

/** A float as Prometheus reads it (Go's ParseFloat): Inf and NaN in any case. */
function parseValue(text: string, line: string): number {
  const lower = text.toLowerCase();
  if (lower === "+inf" || lower === "inf") return Number.POSITIVE_INFINITY;
  if (lower === "-inf") return Number.NEGATIVE_INFINITY;
  if (lower === "nan") return Number.NaN;
  const value = Number(text);
  if (text === "" || Number.isNaN(value)) throw new Error(`not a sample value in: ${line}`);
  return value;
}

function unescapeLabel(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

function parseSample(line: string): Sample {
  const name = NAME.exec(line)?.[0];
  if (name === undefined) throw new Error(`not a sample: ${line}`);
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith("{")) {
    rest = rest.slice(1);
    while (!rest.startsWith("}")) {
      const match = LABEL.exec(rest);
      if (match === null) throw new Error(`malformed labels in: ${line}`);
      labels[match[1]!] = unescapeLabel(match[2]!);
      rest = rest.slice(match[0].length);
      if (match[3] === undefined && !rest.startsWith("}")) throw new Error(`malformed labels in: ${line}`);
    }
    rest = rest.slice(1);
  }
  const [value, timestamp, ...extra] = rest.trim().split(/\s+/);
  if (!rest.startsWith(" ") || extra.length > 0 || (timestamp !== undefined && !/^-?\d+$/.test(timestamp))) {
    throw new Error(`malformed sample: ${line}`);
  }
  return { name, labels, value: parseValue(value ?? "", line) };
}

const includes = (labels: Readonly<Record<string, string>>, wanted: Record<string, string>) =>
  Object.entries(wanted).every(([k, v]) => labels[k] === v);

export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("#")) {
      const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (type) types.set(type[1]!, type[2]!);
      else if (!/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line) && !/^# (?!HELP|TYPE)/.test(line))
        throw new Error(`malformed comment: ${line}`);
      continue;
    }
    samples.push(parseSample(line));
  }
  const matching = (name: string, labels: Record<string, string>) => samples.filter((s) => s.name === name && includes(s.labels, labels));
  return {
    samples,
    types,
    value: (name, labels = {}) => matching(name, labels).reduce((sum, s) => sum + s.value, 0),
    has: (name, labels = {}) => matching(name, labels).length > 0,
  };
}
