// Config keys Troupe accepts but gives no meaning (they belong to RivetKit's engine or are
// deprecated there): each is warned about once per process, naming the key and why. A key nobody
// knows is warned about too, with the nearest known key as a likely typo, and is otherwise ignored.

const warned = new Set<string>();

/** Writes `message` once per process for `id` (later calls with the same id are silent). */
export function warnOnce(id: string, message: string): void {
  if (warned.has(id)) return;
  warned.add(id);
  console.warn(message);
}

/**
 * Checks the keys of `given`: a key in `ignored` is warned about with its reason; a key in neither
 * `known` nor `ignored` is warned about as unknown, with the nearest key as a suggestion.
 * `where` names the place in messages (e.g. "actor() option", "setup() key").
 */
export function checkKeys(
  where: string,
  given: Record<string, unknown>,
  known: Iterable<string>,
  ignored: Readonly<Record<string, string>>,
): void {
  const candidates = [...known, ...Object.keys(ignored)];
  for (const key of Object.keys(given)) {
    if (given[key] === undefined) continue;
    if (Object.hasOwn(ignored, key)) {
      warnOnce(`${where}:${key}`, `troupe: ${where} "${key}" is accepted and ignored: ${ignored[key]}.`);
    } else if (!candidates.includes(key)) {
      const near = nearest(key, candidates);
      warnOnce(
        `${where}:${key}`,
        `troupe: unknown ${where} "${key}" is ignored.${near ? ` Did you mean "${near}"?` : ""} Known: ${candidates.join(", ")}.`,
      );
    }
  }
}

/** The candidate closest to `word` when it is close enough to be a typo of it. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
