// An audit holds every cluster, role and analysis of an organization at once: hundreds of thousands of small
// arrays and strings, whose layout, not their content, decides much of the memory (docs/performance.md, "Memory").

/**
 * A copy of `items` whose storage holds exactly its elements. An array grown by push, filter or flatMap keeps
 * room for 16 more elements (V8 over-allocates on growth: 144 bytes for one element).
 */
export function exact<T>(items: T[]): T[] {
  return items.slice();
}

/** Gives back one value for each distinct key it is handed a value of (the first of them), for the life of the pool. */
export type ValuePool<T> = (value: T) => T;

/** No pool: each value given back as it is, where a caller has none to share (a URL parsed on its own, a test). */
export function unpooled<T>(value: T): T {
  return value;
}

/** A pool of values that are the same when their keys are: `keyOf` names what makes one. */
export function valuePool<T>(keyOf: (value: T) => string): ValuePool<T> {
  const known = new Map<string, T>();
  return (value) => {
    const key = keyOf(value);
    const held = known.get(key);
    if (held !== undefined) return held;
    known.set(key, value);
    return value;
  };
}

/** Gives back one string for each distinct text it is handed (the first of them), for the life of the pool. */
export type StringPool = ValuePool<string>;

/**
 * Texts that repeat across an organization's resources: Kubernetes namespace and service account names
 * (`default`, `kube-system`, an add-on's account in every cluster), each trust policy's version, actions and
 * audience, the providers' client IDs and thumbprints. Each response parsed holds a copy of its own, and a run's
 * pool keeps one; the pool goes when the reads end.
 */
export function stringPool(): StringPool {
  return valuePool(unpooled);
}
