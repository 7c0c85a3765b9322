// Edit distance with adjacent transpositions (optimal string alignment), case-insensitive: a typo
// is usually one wrong, missing, extra or swapped letter.
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= x.length; i++) rows.push([i]);
  for (let j = 1; j <= y.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = best;
    }
  }
  return rows[x.length]![y.length]!;
}

// `clientSecret`, `client-secret` and `client_secret` are the same name written three ways.
const folded = (name: string): string => name.toLowerCase().replace(/[_\-.\s]/g, '');

/**
 * The candidate `name` was most likely meant to be, for a "did you mean" hint: the same name in
 * another case or separator style (`clientSecret` → `client_secret`), else the nearest by edit
 * distance (adjacent swaps count once) when it is within a third of the name's length (at least
 * 1, at most 3). Undefined when nothing is close or `name` is itself a candidate.
 *
 * @example
 * ```ts
 * nearestName('acces_token', ['access_token', 'account']); // 'access_token'
 * nearestName('authorize', ['token', 'authorise']); // 'authorise'
 * nearestName('colour', ['id', 'name']); // undefined
 * ```
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...new Set(candidates)];
  if (list.includes(name)) return undefined;
  const same = list.find((candidate) => folded(candidate) === folded(name));
  if (same !== undefined) return same;
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of list) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
