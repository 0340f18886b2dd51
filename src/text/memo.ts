// A bounded memo for string functions whose inputs recur (place names compared in every merge,
// evidence texts rewritten with every source).

/**
 * Keeps what is still in use: when the young map is full it becomes the old one; a hit in the old map
 * moves back. (Clearing everything at the cap dropped the evidence texts every merge needs along with
 * the one-off notes.) At most 2 x cap entries.
 */
export function memoize(fn: (s: string) => string, cap = 20_000): (s: string) => string {
  let young = new Map<string, string>();
  let old = new Map<string, string>();
  return (s) => {
    let v = young.get(s);
    if (v !== undefined) return v;
    v = old.get(s) ?? fn(s);
    if (young.size >= cap) (old = young), (young = new Map());
    young.set(s, v);
    return v;
  };
}
